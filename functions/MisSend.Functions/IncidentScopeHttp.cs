using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MisSend.Application.Incidents;
using MisSend.Functions.Console;

namespace MisSend.Functions;

/// <summary>
/// The officer declares a reported incident's scope and records what only a person knows, behind sign-in. Bodies
/// are read by <see cref="IncidentRequests"/>; every action is recorded with who did it.
/// </summary>
public sealed class IncidentScopeHttp(IncidentService incidents, OperatorIdentity identity)
{
    /// <summary>
    /// <c>{ "everyone": true }</c>, <c>{ "shifted": 1, "categories": ["amount"] }</c>, or a CSV list with
    /// <c>Content-Type: text/csv</c> (columns recipient, subject[, categories]). 400 lists every problem with its line.
    /// </summary>
    [Function("DeclareIncidentScope")]
    public async Task<IActionResult> DeclareScope(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "incidents/{incidentId}/scope")] HttpRequest request, string incidentId, CancellationToken ct)
    {
        var (who, unidentified) = identity.Identify(request);
        if (unidentified is not null)
        {
            return unidentified;
        }

        var (scope, refused) = await IncidentRequests.ReadScopeAsync(request, ct);
        if (refused is not null)
        {
            return refused;
        }

        var result = await incidents.DeclareScopeAsync(incidentId, scope!, who!, ct);
        return result.Outcome switch
        {
            ScopeOutcome.Declared => new OkObjectResult(IncidentRequests.Describe(incidentId, result)),
            ScopeOutcome.NotFound => new NotFoundObjectResult(new { error = result.Message }),
            ScopeOutcome.NotReported => new ConflictObjectResult(new { error = result.Message }),
            _ => new BadRequestObjectResult(IncidentRequests.Errors(result)),
        };
    }

    /// <summary>
    /// Partial update of what the report states from operators: <c>unlawfulPurpose</c> and <c>secondaryHarm</c>
    /// (yes/no/unknown), <c>secondaryHarmNote</c>, <c>causeNote</c>, <c>publishedAt</c>, <c>reportedToRegulatorAt</c>, <c>remarks</c>.
    /// </summary>
    [Function("RecordIncidentFacts")]
    public async Task<IActionResult> Records(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "incidents/{incidentId}/records")] HttpRequest request, string incidentId, CancellationToken ct)
    {
        var (who, unidentified) = identity.Identify(request);
        if (unidentified is not null)
        {
            return unidentified;
        }

        var (change, refused) = await IncidentRequests.ReadRecordsAsync(request, ct);
        if (refused is not null)
        {
            return refused;
        }

        var (incident, problem) = await incidents.UpdateRecordsAsync(incidentId, change!, who!, ct);
        return problem is not null ? new BadRequestObjectResult(new { error = problem })
            : incident is null ? new NotFoundObjectResult(new { error = $"no incident '{incidentId}'" })
            : new OkObjectResult(new { incidentId, records = incident.Records });
    }
}
