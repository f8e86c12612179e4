using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WireMock;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace MisSend.TestSupport;

/// <summary>A WireMock.Net stand-in for the SendGrid v3 API on 127.0.0.1; tests read the requests it really received.</summary>
public sealed partial class SendGridStandIn : IDisposable
{
    public const string ApiKey = "SG.test";
    public const string BatchId = "YmF0Y2gtMTIzLWlk";

    public enum Activity
    {
        /// <summary>GET /v3/messages finds a custom arg exactly when the stand-in really accepted (202) a mail/send carrying it.</summary>
        FromLog,

        /// <summary>The account has no Email Activity access.</summary>
        Forbidden,
    }

    private SendGridStandIn(WireMockServer server, string url)
    {
        Server = server;
        Url = url;
    }

    public WireMockServer Server { get; }

    /// <summary>The base URL to give the SendGrid client (<c>SendGrid:BaseUrl</c>).</summary>
    public string Url { get; }

    public static SendGridStandIn Start(int? maxRequestLogCount = null)
    {
        var url = $"http://127.0.0.1:{Ports.Free()}";
        var server = WireMockServer.Start(new WireMockServerSettings { Urls = [url], MaxRequestLogCount = maxRequestLogCount });
        var standIn = new SendGridStandIn(server, url);
        standIn.StubDefaults();
        return standIn;
    }

    /// <summary>SendGrid's normal answers: mail/send 202, mail/batch 201 with a batch id, scheduled_sends 201, Email Activity from the log.</summary>
    public void StubDefaults(int mailSendStatus = 202, Activity activity = Activity.FromLog)
    {
        Server.ResetMappings();
        Server.Given(Request.Create().WithPath("/v3/mail/send").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(mailSendStatus));
        Server.Given(Request.Create().WithPath("/v3/mail/batch").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody($"{{\"batch_id\":\"{BatchId}\"}}"));
        Server.Given(Request.Create().WithPath("/v3/user/scheduled_sends").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody($"{{\"batch_id\":\"{BatchId}\",\"status\":\"cancel\"}}"));
        StubActivity(activity);
    }

    /// <summary>Email Activity (GET /v3/messages?query=unique_args['key']="value"), answered from what the stand-in really accepted.</summary>
    public void StubActivity(Activity activity)
    {
        Server.Given(Request.Create().WithPath("/v3/messages").UsingGet())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                if (activity == Activity.Forbidden)
                {
                    return Json(403, "{\"errors\":[{\"message\":\"access forbidden\"}]}");
                }

                var query = Uri.UnescapeDataString(Uri.UnescapeDataString(request.Url));
                var match = ActivityQuery().Match(query);
                if (!match.Success)
                {
                    return Json(400, "{\"errors\":[{\"message\":\"bad query\"}]}");
                }

                var (key, value) = (match.Groups[1].Value, match.Groups[2].Value);
                var accepted = Server.LogEntries.Any(e => e.RequestMessage.Path == "/v3/mail/send"
                    && e.ResponseMessage.StatusCode is 202
                    && JsonNode.Parse(e.RequestMessage.Body!)?["custom_args"]?[key]?.GetValue<string>() == value);
                return Json(200, accepted ? $"{{\"messages\":[{{\"msg_id\":\"m-{value}\",\"status\":\"delivered\"}}]}}" : "{\"messages\":[]}");
            }));
    }

    public static ResponseMessage Json(int status, string body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
    };

    public List<ILogEntry> Requests(string path) =>
        Server.LogEntries.Where(e => e.RequestMessage.Path == path).OrderBy(e => e.RequestMessage.DateTime).ToList();

    public List<ILogEntry> MailSends => Requests("/v3/mail/send");

    /// <summary>Waits until the stand-in has logged <paramref name="count"/> requests to <paramref name="path"/> (a delayed answer is logged once it is written).</summary>
    public async Task WaitForAsync(string path, int count)
    {
        for (var waited = 0; Requests(path).Count < count; waited += 50)
        {
            if (waited > 10_000)
            {
                throw new TimeoutException($"the stand-in logged {Requests(path).Count} of {count} requests to {path}");
            }

            await Task.Delay(50);
        }
    }

    public static JsonNode Body(ILogEntry entry) => JsonNode.Parse(entry.RequestMessage.Body!)!;

    public static string? Header(ILogEntry entry, string name) =>
        entry.RequestMessage.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
    }

    [GeneratedRegex("unique_args\\['([a-z_]+)'\\]=\"([0-9a-f]{32})\"")]
    private static partial Regex ActivityQuery();
}
