using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MisSend.Application.Ports;
using MisSend.Azure.Configuration;
using Polly;
using Polly.Retry;
using SendGrid;

namespace MisSend.Azure.Sending;

/// <summary>
/// The official SendGrid client, on an HttpClient from IHttpClientFactory for every call (so handlers rotate), behind
/// a Polly retry for 429 (waiting for X-RateLimit-Reset) and 5xx, which the client itself does not retry. A request
/// that may have reached SendGrid without an answer coming back is never retried blindly: for mail/send it is
/// <see cref="MailOutcome.Unknown"/>.
/// </summary>
public sealed class SendGridMailSender : IMailSender
{
    private readonly IHttpClientFactory _http;
    private readonly SendGridOptions _options;
    private readonly ILogger<SendGridMailSender> _logger;

    /// <summary>For requests that must not repeat (mail/send, mail/batch): retried only on an answer, or on a connection that never opened.</summary>
    private readonly ResiliencePipeline<Response> _once;

    /// <summary>For idempotent requests (Email Activity, cancel): retried on lost answers and timeouts too.</summary>
    private readonly ResiliencePipeline<Response> _idempotent;

    public SendGridMailSender(IHttpClientFactory http, IOptions<SendGridOptions> options, TimeProvider time, ILogger<SendGridMailSender> logger)
    {
        _http = http;
        _options = options.Value;
        _logger = logger;
        _once = Retry(time, e => e is HttpRequestException h && NeverSent(h));
        _idempotent = Retry(time, e => e is HttpRequestException or TaskCanceledException { InnerException: TimeoutException });
    }

    public async Task<MailResult> SendAsync(string mailJson, CancellationToken ct)
    {
        try
        {
            return await ResultOfAsync(await ExecuteAsync(_once, BaseClient.Method.POST, "mail/send", mailJson, null, ct));
        }
        catch (HttpRequestException e) when (NeverSent(e))
        {
            return new MailResult(MailOutcome.NotAccepted, null, $"SendGrid unreachable ({e.HttpRequestError})");
        }
        catch (HttpRequestException e)
        {
            return new MailResult(MailOutcome.Unknown, null, $"connection lost after the request was sent ({e.HttpRequestError})");
        }
        catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
        {
            return new MailResult(MailOutcome.Unknown, null, $"no answer within {_options.RequestTimeout}");
        }
    }

    public async Task<string?> CreateBatchIdAsync(CancellationToken ct)
    {
        try
        {
            var response = await ExecuteAsync(_once, BaseClient.Method.POST, "mail/batch", null, null, ct);
            if (response.IsSuccessStatusCode)
            {
                using var doc = JsonDocument.Parse(await response.Body.ReadAsStringAsync(ct));
                return doc.RootElement.GetProperty("batch_id").GetString();
            }

            _logger.LogWarning("SendGrid mail/batch answered {Status}", (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException { InnerException: TimeoutException } or JsonException or KeyNotFoundException)
        {
            _logger.LogWarning("SendGrid mail/batch failed: {Error}", e.Message);
        }

        return null;
    }

    public async Task<MailResult> CancelScheduledAsync(string batchId, CancellationToken ct)
    {
        try
        {
            var body = JsonSerializer.Serialize(new { batch_id = batchId, status = "cancel" });
            return await ResultOfAsync(await ExecuteAsync(_idempotent, BaseClient.Method.POST, "user/scheduled_sends", body, null, ct));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException { InnerException: TimeoutException })
        {
            return new MailResult(MailOutcome.Unknown, null, e.Message);
        }
    }

    public async Task<ActivityAnswer> FindAcceptedAsync(string customArgKey, string value, CancellationToken ct)
    {
        var query = Uri.EscapeDataString($"unique_args['{customArgKey}']=\"{value}\"");
        Response response;
        try
        {
            response = await ExecuteAsync(_idempotent, BaseClient.Method.GET, "messages", null, $"{{\"limit\":\"1\",\"query\":\"{query}\"}}", ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException { InnerException: TimeoutException })
        {
            _logger.LogWarning("Email Activity unreachable: {Error}", e.Message);
            return ActivityAnswer.TransientError;
        }

        var status = (int)response.StatusCode;
        if (status == 429 || status >= 500)
        {
            return ActivityAnswer.TransientError;
        }

        if (!response.IsSuccessStatusCode)
        {
            // 401/403/404: the account has no Email Activity access (it is an add-on), so acceptance cannot be checked.
            _logger.LogWarning("Email Activity answered {Status}: acceptance cannot be checked", status);
            return ActivityAnswer.Unavailable;
        }

        try
        {
            using var doc = JsonDocument.Parse(await response.Body.ReadAsStringAsync(ct));
            return doc.RootElement.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array && messages.GetArrayLength() > 0
                ? ActivityAnswer.Found
                : ActivityAnswer.NotFound;
        }
        catch (JsonException)
        {
            return ActivityAnswer.TransientError;
        }
    }

    private async Task<Response> ExecuteAsync(ResiliencePipeline<Response> retry, BaseClient.Method method, string path, string? body, string? query, CancellationToken ct)
    {
        var client = new SendGridClient(_http.CreateClient(SendGridOptions.HttpClientName), new SendGridClientOptions
        {
            ApiKey = _options.ApiKey ?? throw new InvalidOperationException("SendGrid:ApiKey is not set (SendGrid__ApiKey; a Key Vault reference in Azure)."),
            Host = _options.BaseUrl.TrimEnd('/'),
        });
        return await retry.ExecuteAsync(async token => await client.RequestAsync(method, body, query, path, token), ct);
    }

    private static async Task<MailResult> ResultOfAsync(Response response)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return MailResult.Accepted;
        }

        // SendGrid's error body names fields, not recipients' data; keep it short all the same.
        var detail = await response.Body.ReadAsStringAsync();
        detail = detail.Length > 300 ? detail[..300] : detail;
        return new MailResult(status == 429 || status >= 500 ? MailOutcome.NotAccepted : MailOutcome.Refused, status, detail);
    }

    /// <summary>The connection never opened, so SendGrid cannot have received anything.</summary>
    private static bool NeverSent(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError;

    private ResiliencePipeline<Response> Retry(TimeProvider time, Func<Exception, bool> retryException) =>
        _options.MaxRetries == 0 ? ResiliencePipeline<Response>.Empty : new ResiliencePipelineBuilder<Response> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<Response>
            {
                MaxRetryAttempts = _options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryBaseDelay,
                MaxDelay = _options.MaxRetryDelay,
                ShouldHandle = new PredicateBuilder<Response>()
                    .Handle(retryException)
                    .HandleResult(r => r.StatusCode == HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500),
                DelayGenerator = args => ValueTask.FromResult(RateLimitDelay(args.Outcome.Result, time, _options.MaxRetryDelay)),
                OnRetry = args =>
                {
                    _logger.LogWarning("SendGrid answered {Status}; retry {Attempt} in {Delay}",
                        (int?)args.Outcome.Result?.StatusCode, args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    /// <summary>For a 429, wait until X-RateLimit-Reset (epoch seconds) when it is near; otherwise let the backoff decide.</summary>
    internal static TimeSpan? RateLimitDelay(Response? response, TimeProvider time, TimeSpan max)
    {
        if (response?.StatusCode != HttpStatusCode.TooManyRequests
            || response.Headers is null
            || !response.Headers.TryGetValues("X-RateLimit-Reset", out var values)
            || !long.TryParse(values.FirstOrDefault(), out var reset))
        {
            return null;
        }

        var wait = DateTimeOffset.FromUnixTimeSeconds(reset) - time.GetUtcNow();
        return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait > max ? max : wait;
    }
}
