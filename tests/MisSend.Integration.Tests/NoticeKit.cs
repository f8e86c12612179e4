using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MisSend.Azure.Configuration;
using MisSend.Azure.Notices;
using MisSend.Azure.Storage;
using MisSend.Core.Notices;
using WireMock;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Types;
using WireMock.Util;

namespace MisSend.Integration.Tests;

/// <summary>A clock the test moves; timers and delays stay real (only "now" shifts).</summary>
public sealed class ManualClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public void Advance(TimeSpan by) => Offset += by;
}

/// <summary>One personalization of a notice mail that SendGrid (the stand-in) received.</summary>
public sealed record SentNotice(string Email, string Kind, string Subject, string Text, string Html, string WaveId, JsonObject Personalization, JsonObject Body);

/// <summary>Notice-side helpers over <see cref="Harness"/>: incidents, the Email Activity stand-in, what was sent.</summary>
public static class NoticeKit
{
    public const string Contact = "privacy@reds-seasonticket.example.jp";

    public enum Activity
    {
        /// <summary>GET /v3/messages finds a wave exactly when the stand-in really accepted (202) a mail/send carrying it.</summary>
        FromLog,

        /// <summary>The account has no Email Activity access.</summary>
        Forbidden,
    }

    /// <summary>mail/send answers <paramref name="mailSendStatus"/>; GET /v3/messages answers from what was really accepted.</summary>
    public static void StubNotices(Harness h, int mailSendStatus = 202, Activity activity = Activity.FromLog)
    {
        h.StubSendGrid(mailSendStatus);
        StubActivity(h, activity);
    }

    public static void StubActivity(Harness h, Activity activity)
    {
        var server = h.Server;
        server.Given(Request.Create().WithPath("/v3/messages").UsingGet())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                if (activity == Activity.Forbidden)
                {
                    return Json(403, "{\"errors\":[{\"message\":\"access forbidden\"}]}");
                }

                var query = Uri.UnescapeDataString(Uri.UnescapeDataString(request.Url));
                var match = Regex.Match(query, "notice_wave'\\]=\"([0-9a-f]{32})\"");
                if (!match.Success)
                {
                    return Json(400, "{\"errors\":[{\"message\":\"bad query\"}]}");
                }

                var accepted = server.LogEntries.Any(e => e.RequestMessage.Path == "/v3/mail/send"
                    && e.ResponseMessage.StatusCode is 202
                    && JsonNode.Parse(e.RequestMessage.Body!)?["custom_args"]?[NoticeDispatcher.WaveArg]?.GetValue<string>() == match.Groups[1].Value);
                return Json(200, accepted
                    ? $"{{\"messages\":[{{\"msg_id\":\"m-{match.Groups[1].Value}\",\"status\":\"delivered\"}}]}}"
                    : "{\"messages\":[]}");
            }));
    }

    private static ResponseMessage Json(int status, string body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
    };

    /// <summary>Every personalization of every mail/send the stand-in answered with <paramref name="status"/> (202 = accepted).</summary>
    public static List<SentNotice> Notices(Harness h, int? status = 202) =>
        h.MailSends.Where(e => status is null || e.ResponseMessage.StatusCode is int s && s == status).SelectMany(Parse).ToList();

    public static IEnumerable<SentNotice> Parse(ILogEntry entry)
    {
        var body = Harness.Body(entry).AsObject();
        if (body["custom_args"]?[NoticeDispatcher.WaveArg] is null)
        {
            yield break; // a batch of the send pipeline, not a notice
        }

        var kind = body["categories"]!.AsArray()[1]!.GetValue<string>();
        var wave = body["custom_args"]![NoticeDispatcher.WaveArg]!.GetValue<string>();
        foreach (var p in body["personalizations"]!.AsArray().Select(p => p!.AsObject()))
        {
            var subs = p["substitutions"]!;
            yield return new SentNotice(p["to"]![0]!["email"]!.GetValue<string>(), kind, p["subject"]!.GetValue<string>(),
                subs["-notice-text-"]!.GetValue<string>(), subs["-notice-html-"]!.GetValue<string>(), wave, p, body);
        }
    }

    public static int GetPersonalizationCount(ILogEntry entry) => Harness.Body(entry)["personalizations"]!.AsArray().Count;

    /// <summary>
    /// An incident as the pipeline leaves it after a halt: the incident row and its exposures (recipient got subject's data).
    /// </summary>
    public static async Task<string> SeedIncidentAsync(Harness h, IEnumerable<(Person Recipient, Person Subject)> pairs, string? language,
        string categories = "name,email,amount,seat", string? jobId = null)
    {
        jobId ??= Batches.NewJobId();
        var incidentId = StorageKeys.IncidentFor(jobId);
        var at = DateTimeOffset.UtcNow.AddMinutes(-30);
        await h.Incidents.OpenAsync(new IncidentEntity
        {
            PartitionKey = incidentId,
            JobId = jobId,
            Source = "detector",
            Reason = "visible-recipients",
            Language = language,
            OpenedAt = at.AddMinutes(5),
            HaltedAt = at.AddMinutes(5),
            FirstSentAt = at,
        }, default);
        await h.Incidents.AddExposuresAsync(incidentId, pairs.Select(p => new ExposureEntity
        {
            Recipient = p.Recipient.Email,
            SubjectKey = "e:" + p.Subject.Email,
            SubjectEmail = p.Subject.Email,
            Categories = categories,
            Chunk = 1,
            SentAt = at,
        }).ToList(), default);
        return incidentId;
    }

    public static NoticeStore Store(this Harness h) => h.Services.GetRequiredService<NoticeStore>();

    public static NoticeDispatcher Dispatcher(this Harness h) => h.Services.GetRequiredService<NoticeDispatcher>();

    public static IncidentService IncidentService(this Harness h) => h.Services.GetRequiredService<IncidentService>();

    public static byte[] SigningKey(this Harness h) => h.Services.GetRequiredService<IOptions<NoticeOptions>>().Value.SigningKeyBytes();

    /// <summary>The "deleted unread" link in a delete request's text.</summary>
    public static string ConfirmToken(string text)
    {
        var match = Regex.Match(text, @"https://www\.example\.jp/privacy/confirm\?token=(\S+)");
        Assert.True(match.Success, "the delete request carries a confirmation link");
        return Uri.UnescapeDataString(match.Groups[1].Value);
    }

    /// <summary>Addresses written in a text.</summary>
    public static IEnumerable<string> Addresses(string text) =>
        Regex.Matches(text, @"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]+").Select(m => m.Value);

    public static HttpRequest HttpRequest(string method, string? body = null, string? query = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        if (query is not null)
        {
            context.Request.QueryString = new QueryString(query);
        }

        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = "application/json";
        }

        return context.Request;
    }

    public static async Task<List<NoticeEntity>> RowsAsync(Harness h, string incidentId) => await h.Store().ListAsync(incidentId, default);
}
