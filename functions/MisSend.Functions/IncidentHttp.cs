using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MisSend.Application.Incidents;
using MisSend.Application.Model;
using MisSend.Core;
using MisSend.Core.Batches;
using MisSend.Core.Reports;
using MisSend.Functions.Console;

namespace MisSend.Functions;

/// <summary>The officer's HTTP actions, behind function keys and sign-in. Every action is recorded with who did it.</summary>
public sealed class IncidentHttp(IncidentService incidents, NotMineService reports, OperatorIdentity identity)
{
    public sealed record OpenIncidentRequest(string? JobId, string? Reason);

    public sealed record DismissRequest(string? Reason);

    [Function("OpenIncident")]
    public async Task<IActionResult> Open([HttpTrigger(AuthorizationLevel.Function, "post", Route = "incidents")] HttpRequest request, CancellationToken ct)
    {
        if (identity.Identify(request).Refusal is { } refused)
        {
            return refused;
        }

        OpenIncidentRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<OpenIncidentRequest>(request.Body, JsonSerializerOptions.Web, ct);
        }
        catch (JsonException e)
        {
            return new BadRequestObjectResult(new { error = $"invalid JSON: {e.Message}" });
        }

        if (string.IsNullOrWhiteSpace(body?.JobId) || string.IsNullOrWhiteSpace(body.Reason))
        {
            return new BadRequestObjectResult(new { error = "jobId and reason are required" });
        }

        try
        {
            var incident = await incidents.OpenAsync(body.JobId, body.Reason, identity.Identify(request, body.Reason).Operator!, ct);
            return new ObjectResult(new { incidentId = incident.IncidentId, status = StoredName.Of(incident.Status), kind = StoredName.Of(incident.Kind) }) { StatusCode = StatusCodes.Status201Created };
        }
        catch (KeyNotFoundException e)
        {
            return new NotFoundObjectResult(new { error = e.Message });
        }
    }

    [Function("IncidentReport")]
    public async Task<IActionResult> Report(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "incidents/{incidentId}/report")] HttpRequest request, string incidentId, CancellationToken ct)
    {
        var report = await incidents.ReportAsync(incidentId, ct);
        if (report is null)
        {
            return new NotFoundObjectResult(new { error = $"no incident '{incidentId}'" });
        }

        var language = request.Query["lang"] == "en" ? "en" : "ja";
        return request.Query["format"] == "json"
            ? new ContentResult { Content = IncidentReportRenderer.ToJson(report), ContentType = "application/json; charset=utf-8" }
            : new ContentResult { Content = IncidentReportRenderer.ToMarkdown(report, language), ContentType = "text/markdown; charset=utf-8" };
    }

    /// <summary>
    /// Body (optional): <c>{ "policy": {…}, "releaseHaltedJob": true, "reason": "…" }</c>, or just the policy. The policy
    /// adds internal domains and personal fields to the job's own; a halted job's chunk needs <c>releaseHaltedJob</c>.
    /// </summary>
    [Function("ReleaseChunk")]
    public async Task<IActionResult> Release(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "jobs/{jobId}/chunks/{chunk:int}/release")] HttpRequest request, string jobId, int chunk, CancellationToken ct)
    {
        if (identity.Identify(request).Refusal is { } refused)
        {
            return refused;
        }

        var (policy, releaseHaltedJob, reason) = (default(BatchPolicy), false, default(string));
        if (request.ContentLength > 0)
        {
            try
            {
                using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
                var root = doc.RootElement;
                var decision = root.ValueKind == JsonValueKind.Object && (root.TryGetProperty("releaseHaltedJob", out _) || root.TryGetProperty("policy", out _));
                policy = decision
                    ? root.TryGetProperty("policy", out var p) && p.ValueKind != JsonValueKind.Null ? BatchParser.ParsePolicy(p) : null
                    : BatchParser.ParsePolicy(root);
                releaseHaltedJob = decision && root.TryGetProperty("releaseHaltedJob", out var r) && r.ValueKind == JsonValueKind.True;
                reason = decision && root.TryGetProperty("reason", out var why) && why.ValueKind == JsonValueKind.String ? why.GetString() : null;
            }
            catch (Exception e) when (e is JsonException or BatchFormatException)
            {
                return new BadRequestObjectResult(new { error = $"invalid policy: {e.Message}" });
            }
        }

        var result = await incidents.ReleaseAsync(jobId, chunk, policy, releaseHaltedJob, identity.Identify(request, reason).Operator!, ct);
        return result.Done ? new OkObjectResult(result) : new ConflictObjectResult(result);
    }

    [Function("DiscardChunk")]
    public async Task<IActionResult> Discard(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "jobs/{jobId}/chunks/{chunk:int}/discard")] HttpRequest request, string jobId, int chunk, CancellationToken ct)
    {
        var (who, refused) = identity.Identify(request);
        if (refused is not null)
        {
            return refused;
        }

        var result = await incidents.DiscardAsync(jobId, chunk, who!, ct);
        return result.Done ? new OkObjectResult(result) : new ConflictObjectResult(result);
    }

    /// <summary>
    /// <c>{ "reason": "…" }</c>: the officer dismisses the recipients' "not mine" reports of a reported incident. The job
    /// resumes and its held chunks go through the send path (re-inspected). 409 when it cannot be dismissed, with why.
    /// </summary>
    [Function("DismissIncidentReport")]
    public async Task<IActionResult> Dismiss(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "incidents/{incidentId}/dismiss")] HttpRequest request, string incidentId, CancellationToken ct)
    {
        if (identity.Identify(request).Refusal is { } refused)
        {
            return refused;
        }

        DismissRequest? body;
        try
        {
            body = request.ContentLength is > IncidentRequests.MaxJsonBytes
                ? null
                : await JsonSerializer.DeserializeAsync<DismissRequest>(request.Body, JsonSerializerOptions.Web, ct);
        }
        catch (JsonException e)
        {
            return new BadRequestObjectResult(new { error = $"invalid JSON: {e.Message}" });
        }

        if (string.IsNullOrWhiteSpace(body?.Reason))
        {
            return new BadRequestObjectResult(new { error = "reason is required: it is recorded with who dismissed the reports" });
        }

        var result = await reports.DismissAsync(incidentId, identity.Identify(request, body.Reason.Trim()).Operator!, ct);
        var answer = new
        {
            incidentId,
            outcome = result.Outcome switch
            {
                DismissOutcome.Dismissed => "dismissed",
                DismissOutcome.AlreadyDismissed => "already-dismissed",
                DismissOutcome.NotFound => "not-found",
                _ => "refused",
            },
            message = result.Message,
            chunks = result.Released.Select(r => new { chunk = r.Chunk, sent = r.Decision.Done, message = r.Decision.Message }),
        };
        return result.Outcome switch
        {
            DismissOutcome.Dismissed or DismissOutcome.AlreadyDismissed => new OkObjectResult(answer),
            DismissOutcome.NotFound => new NotFoundObjectResult(answer),
            _ => new ConflictObjectResult(answer),
        };
    }
}
