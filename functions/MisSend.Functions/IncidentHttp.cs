using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MisSend.Azure.Notices;
using MisSend.Core.Batches;
using MisSend.Core.Reports;

namespace MisSend.Functions;

/// <summary>The officer's HTTP actions, behind function keys.</summary>
public sealed class IncidentHttp(IncidentService incidents)
{
    public sealed record OpenIncidentRequest(string? JobId, string? Reason);

    [Function("OpenIncident")]
    public async Task<IActionResult> Open([HttpTrigger(AuthorizationLevel.Function, "post", Route = "incidents")] HttpRequest request, CancellationToken ct)
    {
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
            var incident = await incidents.OpenAsync(body.JobId, body.Reason, ct);
            return new ObjectResult(new { incidentId = incident.PartitionKey, status = incident.Status }) { StatusCode = StatusCodes.Status201Created };
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

    [Function("ReleaseChunk")]
    public async Task<IActionResult> Release(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "jobs/{jobId}/chunks/{chunk:int}/release")] HttpRequest request, string jobId, int chunk, CancellationToken ct)
    {
        BatchPolicy? policy = null;
        if (request.ContentLength > 0)
        {
            try
            {
                using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
                policy = BatchParser.ParsePolicy(doc.RootElement);
            }
            catch (Exception e) when (e is JsonException or BatchFormatException)
            {
                return new BadRequestObjectResult(new { error = $"invalid policy: {e.Message}" });
            }
        }

        var decision = await incidents.ReleaseAsync(jobId, chunk, policy, ct);
        return decision.Done ? new OkObjectResult(decision) : new ConflictObjectResult(decision);
    }

    [Function("DiscardChunk")]
    public async Task<IActionResult> Discard(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "jobs/{jobId}/chunks/{chunk:int}/discard")] HttpRequest request, string jobId, int chunk, CancellationToken ct)
    {
        var decision = await incidents.DiscardAsync(jobId, chunk, ct);
        return decision.Done ? new OkObjectResult(decision) : new ConflictObjectResult(decision);
    }
}
