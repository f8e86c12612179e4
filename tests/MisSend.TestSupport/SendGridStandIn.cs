using System.Text.Json.Nodes;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace MisSend.TestSupport;

/// <summary>A WireMock.Net stand-in for the SendGrid v3 API on 127.0.0.1; tests read the requests it really received.</summary>
public sealed class SendGridStandIn : IDisposable
{
    public const string ApiKey = "SG.test";
    public const string BatchId = "YmF0Y2gtMTIzLWlk";

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

    /// <summary>SendGrid's normal answers: mail/send 202, mail/batch 201 with a batch id, scheduled_sends 201.</summary>
    public void StubDefaults(int mailSendStatus = 202)
    {
        Server.ResetMappings();
        Server.Given(Request.Create().WithPath("/v3/mail/send").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(mailSendStatus));
        Server.Given(Request.Create().WithPath("/v3/mail/batch").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody($"{{\"batch_id\":\"{BatchId}\"}}"));
        Server.Given(Request.Create().WithPath("/v3/user/scheduled_sends").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody($"{{\"batch_id\":\"{BatchId}\",\"status\":\"cancel\"}}"));
    }

    public List<ILogEntry> Requests(string path) =>
        Server.LogEntries.Where(e => e.RequestMessage.Path == path).OrderBy(e => e.RequestMessage.DateTime).ToList();

    public List<ILogEntry> MailSends => Requests("/v3/mail/send");

    public static JsonNode Body(ILogEntry entry) => JsonNode.Parse(entry.RequestMessage.Body!)!;

    public static string? Header(ILogEntry entry, string name) =>
        entry.RequestMessage.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
    }
}
