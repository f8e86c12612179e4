using System.Net;
using System.Text.Json;
using MisSend.Azure.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using SendGrid;

namespace MisSend.Azure.Sending;

/// <summary>
/// The official SendGrid client behind a Polly retry: it retries 429 (waiting for X-RateLimit-Reset) and 5xx,
/// which the client itself does not. Anything else is final and is reported, never silently dropped.
/// </summary>
public sealed class SendGridMailSender : IMailSender
{
    private readonly SendGridClient _client;
    private readonly ResiliencePipeline<Response> _retry;
    private readonly ILogger<SendGridMailSender> _logger;

    public SendGridMailSender(HttpClient http, IOptions<SendGridOptions> options, TimeProvider time, ILogger<SendGridMailSender> logger)
    {
        var o = options.Value;
        _logger = logger;
        _client = new SendGridClient(http, new SendGridClientOptions
        {
            ApiKey = string.IsNullOrEmpty(o.ApiKey) ? throw new InvalidOperationException("SendGrid:ApiKey is not set (SendGrid__ApiKey; a Key Vault reference in Azure).") : o.ApiKey,
            Host = o.BaseUrl.TrimEnd('/'),
        });
        _retry = o.MaxRetries == 0 ? ResiliencePipeline<Response>.Empty : new ResiliencePipelineBuilder<Response> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<Response>
            {
                MaxRetryAttempts = o.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.RetryBaseDelay,
                MaxDelay = o.MaxRetryDelay,
                ShouldHandle = new PredicateBuilder<Response>()
                    .Handle<HttpRequestException>()
                    .HandleResult(r => r.StatusCode == HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500),
                DelayGenerator = args => ValueTask.FromResult(RateLimitDelay(args.Outcome.Result, time, o.MaxRetryDelay)),
                OnRetry = args =>
                {
                    _logger.LogWarning("SendGrid answered {Status}; retry {Attempt} in {Delay}",
                        (int?)args.Outcome.Result?.StatusCode, args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public async Task SendAsync(string mailJson, CancellationToken ct)
    {
        var response = await ExecuteAsync(BaseClient.Method.POST, "mail/send", mailJson, ct);
        await EnsureAcceptedAsync(response, "mail/send");
    }

    public async Task<string> CreateBatchIdAsync(CancellationToken ct)
    {
        var response = await ExecuteAsync(BaseClient.Method.POST, "mail/batch", null, ct);
        await EnsureAcceptedAsync(response, "mail/batch");
        using var doc = JsonDocument.Parse(await response.Body.ReadAsStringAsync(ct));
        return doc.RootElement.GetProperty("batch_id").GetString()!;
    }

    public async Task CancelScheduledAsync(string batchId, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new { batch_id = batchId, status = "cancel" });
        var response = await ExecuteAsync(BaseClient.Method.POST, "user/scheduled_sends", body, ct);
        await EnsureAcceptedAsync(response, "user/scheduled_sends");
    }

    public async Task<bool?> WasAcceptedAsync(string customArgKey, string value, CancellationToken ct)
    {
        var query = Uri.EscapeDataString($"unique_args['{customArgKey}']=\"{value}\"");
        var response = await ExecuteAsync(BaseClient.Method.GET, "messages", null, ct, queryParams: $"{{\"limit\":\"1\",\"query\":\"{query}\"}}");
        if (!response.IsSuccessStatusCode)
        {
            // 403/404: the account has no Email Activity access, so acceptance cannot be checked.
            return null;
        }

        using var doc = JsonDocument.Parse(await response.Body.ReadAsStringAsync(ct));
        return doc.RootElement.TryGetProperty("messages", out var messages) && messages.GetArrayLength() > 0;
    }

    private async Task<Response> ExecuteAsync(BaseClient.Method method, string path, string? body, CancellationToken ct, string? queryParams = null)
    {
        try
        {
            return await _retry.ExecuteAsync(async token => await _client.RequestAsync(method, body, queryParams, path, token), ct);
        }
        catch (HttpRequestException e)
        {
            throw new MailSendException(0, $"SendGrid {path} unreachable after retries: {e.Message}");
        }
    }

    private static async Task EnsureAcceptedAsync(Response response, string path)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        // SendGrid's error body names fields, not recipients' data; keep it short all the same.
        var detail = await response.Body.ReadAsStringAsync();
        throw new MailSendException((int)response.StatusCode,
            $"SendGrid {path} answered {(int)response.StatusCode}: {(detail.Length > 300 ? detail[..300] : detail)}");
    }

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
