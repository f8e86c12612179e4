using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MisSend.Application.Pipeline;
using MisSend.Application.Ports;
using MisSend.Azure.Configuration;
using MisSend.Azure.Sending;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace MisSend.Integration.Tests;

/// <summary>
/// The SendGrid adapter through the official client: what it reports for each way a request can end. A request that
/// may have reached SendGrid without an answer is Unknown and never retried; one that never left is retried.
/// </summary>
public sealed class SendGridSenderTests
{
    private const string Mail = "{\"personalizations\":[{\"to\":[{\"email\":\"sato.misaki0000@example.jp\"}]}],\"from\":{\"email\":\"ticket@reds-seasonticket.example.jp\"},\"subject\":\"ご案内\",\"content\":[{\"type\":\"text/plain\",\"value\":\"-\"}]}";

    private static SendGridMailSender Sender(string baseUrl, CountingFactory? factory = null, int retries = 2) =>
        new(factory ?? new CountingFactory(), Options.Create(new SendGridOptions
        {
            ApiKey = SendGridStandIn.ApiKey,
            BaseUrl = baseUrl,
            MaxRetries = retries,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromSeconds(1),
        }), TimeProvider.System, NullLogger<SendGridMailSender>.Instance);

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Connection_closed_after_the_whole_request_arrived_is_unknown_and_not_retried()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var received = 0;
        var server = Task.Run(async () =>
        {
            while (true)
            {
                using var socket = await listener.AcceptSocketAsync();
                if (await ReadRequestAsync(socket) is { } body && body.Contains("sato.misaki0000"))
                {
                    Interlocked.Increment(ref received);
                }

                socket.LingerState = new LingerOption(true, 0);
                socket.Close(); // the request arrived whole; the answer never leaves
            }
        });

        var result = await Sender($"http://127.0.0.1:{port}").SendAsync(Mail, default);

        Assert.Equal(MailOutcome.Unknown, result.Outcome);
        Assert.Equal(1, Volatile.Read(ref received));
        listener.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => server);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Nothing_listening_means_the_request_never_left_so_it_is_not_accepted_and_may_be_tried_again()
    {
        var result = await Sender($"http://127.0.0.1:{Ports.Free()}").SendAsync(Mail, default);

        Assert.Equal(MailOutcome.NotAccepted, result.Outcome);
        Assert.Null(result.Status);
    }

    [Theory]
    [InlineData(400, MailOutcome.Refused, 1)]
    [InlineData(413, MailOutcome.Refused, 1)]
    [InlineData(500, MailOutcome.NotAccepted, 3)]
    [InlineData(503, MailOutcome.NotAccepted, 3)]
    [InlineData(202, MailOutcome.Accepted, 1)]
    public async Task Each_answer_means_what_it_says_and_only_429_and_5xx_are_retried(int status, MailOutcome outcome, int requests)
    {
        using var standIn = SendGridStandIn.Start();
        standIn.StubDefaults(mailSendStatus: status);

        var result = await Sender(standIn.Url).SendAsync(Mail, default);

        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(requests, standIn.MailSends.Count);
        Assert.Equal(status == 202 ? null : status, result.Status);
    }

    [Theory]
    [InlineData(200, "{\"messages\":[{\"msg_id\":\"m-1\"}]}", ActivityAnswer.Found)]
    [InlineData(200, "{\"messages\":[]}", ActivityAnswer.NotFound)]
    [InlineData(500, "{}", ActivityAnswer.TransientError)]
    [InlineData(429, "{}", ActivityAnswer.TransientError)]
    [InlineData(403, "{\"errors\":[{\"message\":\"access forbidden\"}]}", ActivityAnswer.Unavailable)]
    [InlineData(200, "<html>", ActivityAnswer.TransientError)]
    public async Task Email_Activity_answers_are_read_for_what_they_can_tell(int status, string body, ActivityAnswer answer)
    {
        using var standIn = SendGridStandIn.Start();
        standIn.Server.Given(Request.Create().WithPath("/v3/messages").UsingGet()).AtPriority(-1)
            .RespondWith(Response.Create().WithStatusCode(status).WithBody(body));

        Assert.Equal(answer, await Sender(standIn.Url, retries: 1).FindAcceptedAsync(OutgoingMail.AttemptArg, new string('a', 32), default));
    }

    [Fact]
    public async Task Every_call_takes_a_fresh_HttpClient_from_the_factory_so_handlers_rotate()
    {
        using var standIn = SendGridStandIn.Start();
        var factory = new CountingFactory();
        var sender = Sender(standIn.Url, factory);

        await sender.SendAsync(Mail, default);
        await sender.CancelScheduledAsync(SendGridStandIn.BatchId, default);
        await sender.FindAcceptedAsync(OutgoingMail.AttemptArg, new string('b', 32), default);

        Assert.Equal(3, factory.Created);
        Assert.All(factory.Names, n => Assert.Equal(SendGridOptions.HttpClientName, n));
    }

    /// <summary>Reads one HTTP request (headers and Content-Length body) from the socket.</summary>
    private static async Task<string?> ReadRequestAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        var read = 0;
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None);
            if (n == 0)
            {
                return null;
            }

            read += n;
            var text = Encoding.UTF8.GetString(buffer, 0, read);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var length = System.Text.RegularExpressions.Regex.Match(text, "(?i)content-length: *(\\d+)");
            if (end >= 0 && length.Success && Encoding.UTF8.GetByteCount(text[(end + 4)..]) >= int.Parse(length.Groups[1].Value))
            {
                return text[(end + 4)..];
            }
        }
    }

    private sealed class CountingFactory : IHttpClientFactory
    {
        private readonly List<string> _names = [];

        public int Created => _names.Count;

        public IReadOnlyList<string> Names => _names;

        public HttpClient CreateClient(string name)
        {
            lock (_names)
            {
                _names.Add(name);
            }

            return new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        }
    }
}
