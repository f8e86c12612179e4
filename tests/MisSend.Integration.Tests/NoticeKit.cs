using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MisSend.Application.Inputs;
using MisSend.Application.Model;
using MisSend.Application.Notices;
using MisSend.Application.Pipeline;
using MisSend.Core.Detection;
using MisSend.Core.Incidents;
using WireMock.Logging;

namespace MisSend.Integration.Tests;

/// <summary>One personalization of a notice mail that SendGrid (the stand-in) received.</summary>
public sealed record SentNotice(string Email, string Kind, string Subject, string Text, string Html, string WaveId, JsonObject Personalization, JsonObject Body);

/// <summary>Notice-side helpers over <see cref="Harness"/>: incidents, the Email Activity stand-in, what was sent.</summary>
public static class NoticeKit
{
    public const string Contact = "privacy@reds-seasonticket.example.jp";

    /// <summary>Every personalization of every mail/send the stand-in answered with <paramref name="status"/> (202 = accepted).</summary>
    public static List<SentNotice> Notices(Harness h, int? status = 202) =>
        h.MailSends.Where(e => status is null || e.ResponseMessage.StatusCode is int s && s == status).SelectMany(Parse).ToList();

    public static IEnumerable<SentNotice> Parse(ILogEntry entry)
    {
        var body = Harness.Body(entry).AsObject();
        if (body["custom_args"]?[OutgoingMail.WaveArg] is null)
        {
            yield break; // a batch of the send pipeline, not a notice
        }

        var kind = body["categories"]!.AsArray()[1]!.GetValue<string>();
        var wave = body["custom_args"]![OutgoingMail.WaveArg]!.GetValue<string>();
        foreach (var p in body["personalizations"]!.AsArray().Select(p => p!.AsObject()))
        {
            var subs = p["substitutions"]!;
            yield return new SentNotice(p["to"]![0]!["email"]!.GetValue<string>(), kind, p["subject"]!.GetValue<string>(),
                subs["-notice-text-"]!.GetValue<string>(), subs["-notice-html-"]!.GetValue<string>(), wave, p, body);
        }
    }

    public static int GetPersonalizationCount(ILogEntry entry) => Harness.Body(entry)["personalizations"]!.AsArray().Count;

    public const string Apology = "apology";
    public const string DeleteRequest = "delete-request";

    /// <summary>
    /// An incident as the pipeline leaves it after a halt: the incident row and its exposures (recipient got subject's
    /// data) in a chunk that went out.
    /// </summary>
    public static async Task<string> SeedIncidentAsync(Harness h, IEnumerable<(Holder Recipient, Holder Subject)> pairs, string? language,
        DataCategory[]? categories = null, string? jobId = null)
    {
        jobId ??= Batches.NewJobId();
        var incidentId = Keys.IncidentFor(jobId);
        var at = DateTimeOffset.UtcNow.AddMinutes(-30);
        await h.Jobs.TryAddJobAsync(new JobRecord(jobId) { State = JobState.Halted, IncidentId = incidentId, ChunkCount = 2, FirstSentAt = at, HaltedAt = at.AddMinutes(5) }, default);
        await h.Jobs.TryAddChunkAsync(new ChunkRecord(jobId, 1) { State = ChunkState.Sent, SentAt = at, SafeSubject = "2027シーズンチケット お支払いのご案内" }, default);
        await h.Incidents.TryAddAsync(IncidentRecord.Open(incidentId, jobId, IncidentSource.Detector, personalDataLeft: true, OperatorAction.Detector, at.AddMinutes(5), "visible-recipients")
            with { Language = language }, default);
        await h.Incidents.AddExposureCandidatesAsync(pairs.Select(p => new ExposureCandidate(incidentId, 1, p.Recipient.Email, "e:" + p.Subject.Email, p.Subject.Email,
            categories ?? [DataCategory.Name, DataCategory.Email, DataCategory.Amount, DataCategory.Seat])).ToList(), default);
        return incidentId;
    }

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

    public static HttpRequest HttpRequest(string method, string? body = null, string? query = null, string contentType = "application/json")
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
            context.Request.ContentType = contentType;
        }

        return context.Request;
    }

    public static async Task<IReadOnlyList<NoticeRecord>> RowsAsync(Harness h, string incidentId) => await h.Notices.ListAsync(incidentId, default);
}
