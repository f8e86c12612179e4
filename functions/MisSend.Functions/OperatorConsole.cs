using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MisSend.Application.Console;
using MisSend.Application.Incidents;
using MisSend.Application.Model;
using MisSend.Core.Batches;
using MisSend.Core.Reports;
using MisSend.Functions.Console;
using static MisSend.Functions.Console.ConsoleHtml;

namespace MisSend.Functions;

/// <summary>
/// The officer's console: server-rendered pages under <c>/api/console</c>. Anonymous at the Functions level because a
/// browser carries no function key: in Azure, App Service Authentication signs the officer in, and every route checks
/// the principal it passes on (<see cref="OperatorIdentity"/>); elsewhere the routes answer loopback only.
/// </summary>
public sealed class OperatorConsole(ConsoleQueries queries, ReleasePreviewer previewer, IncidentService incidents, NotMineService reports, OperatorIdentity identity)
{
    [Function("ConsoleIncidents")]
    public Task<IActionResult> IncidentList([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console")] HttpRequest request, CancellationToken ct) =>
        ShowAsync(request, async c => Page(c, c.T("Incidents", "インシデント"), ConsolePages.Incidents(c, await queries.IncidentsAsync(ct))));

    [Function("ConsoleIncident")]
    public Task<IActionResult> Incident([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/incidents/{incidentId}")] HttpRequest request, string incidentId, CancellationToken ct) =>
        ShowAsync(request, async c => await queries.IncidentAsync(incidentId, ct) is { } view
            ? Page(c, c.T($"Incident {incidentId}", $"インシデント {incidentId}"), ConsolePages.Incident(c, view)
                + ConsolePages.Report(IncidentReportRenderer.ToMarkdown((await incidents.ReportAsync(incidentId, ct))!, c.Language)))
            : Page(c, c.T("Not found", "見つかりません"), ConsolePages.Message(c, c.T($"No incident '{incidentId}'.", $"インシデント「{incidentId}」はありません。")), 404));

    [Function("ConsoleReport")]
    public Task<IActionResult> Report([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/incidents/{incidentId}/report")] HttpRequest request, string incidentId, CancellationToken ct) =>
        ShowAsync(request, async c =>
        {
            if (await incidents.ReportAsync(incidentId, ct) is not { } report)
            {
                return new NotFoundResult();
            }

            var json = request.Query["format"] == "json";
            request.HttpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"{incidentId}-{c.Language}.{(json ? "json" : "md")}\"";
            return json
                ? new ContentResult { Content = IncidentReportRenderer.ToJson(report), ContentType = "application/json; charset=utf-8" }
                : new ContentResult { Content = IncidentReportRenderer.ToMarkdown(report, c.Language), ContentType = "text/markdown; charset=utf-8" };
        });

    [Function("ConsoleJobs")]
    public Task<IActionResult> Jobs([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/jobs")] HttpRequest request, CancellationToken ct) =>
        ShowAsync(request, async c => Page(c, c.T("Jobs", "送信ジョブ"), ConsolePages.Jobs(c, await queries.JobsAsync(ct))));

    [Function("ConsoleQuarantine")]
    public Task<IActionResult> Quarantine([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/quarantine")] HttpRequest request, CancellationToken ct) =>
        ShowAsync(request, async c => Page(c, c.T("Quarantine", "隔離中の送信"), ConsolePages.Quarantine(c, await queries.QuarantineAsync(ct))));

    [Function("ConsoleOpenIncident")]
    public Task<IActionResult> OpenIncident([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "console/incidents")] HttpRequest request, CancellationToken ct) =>
        ActAsync(request, async (c, form, who) =>
        {
            var jobId = form["jobId"].ToString().Trim();
            try
            {
                var incident = await incidents.OpenAsync(jobId, who.Reason!, who, ct);
                return new RedirectResult(Path("incidents", incident.IncidentId), permanent: false, preserveMethod: false);
            }
            catch (KeyNotFoundException e)
            {
                return Page(c, c.T("Not opened", "開けませんでした"), ConsolePages.Message(c, e.Message), 404);
            }
        });

    [Function("ConsoleDeclareScope")]
    public Task<IActionResult> DeclareScope(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "console/incidents/{incidentId}/scope")] HttpRequest request, string incidentId, CancellationToken ct) =>
        ActAsync(request, async (c, form, who) =>
        {
            var (categories, problem) = ScopeRequest.ParseCategories(Items(form["categories"].ToString()));
            var scope = form["mode"].ToString() switch
            {
                "everyone" => new ScopeRequest(Everyone: true),
                "shifted" when int.TryParse(form["shifted"], out var k) => new ScopeRequest(Shift: k, Categories: categories is { Count: > 0 } ? categories : null),
                "list" => new ScopeRequest(Csv: System.Text.Encoding.UTF8.GetBytes(form["list"].ToString())),
                _ => null,
            };
            if (scope is null || problem is not null)
            {
                return Page(c, c.T("Not declared", "登録しませんでした"), ConsolePages.Message(c, problem ?? c.T("Choose everyone, a whole-number shift, or a list.", "全員、行ずれ（整数）、一覧のいずれかを選んでください。")), 400);
            }

            var result = await incidents.DeclareScopeAsync(incidentId, scope, who, ct);
            return result.Outcome == ScopeOutcome.Declared
                ? new RedirectResult(Path("incidents", incidentId), permanent: false, preserveMethod: false)
                : Page(c, c.T("Not declared", "登録しませんでした"), ConsolePages.ScopeErrors(c, result), result.Outcome switch
                {
                    ScopeOutcome.NotFound => 404,
                    ScopeOutcome.NotReported => 409,
                    _ => 400,
                });
        }, reasonRequired: false);

    [Function("ConsolePreviewRelease")]
    public Task<IActionResult> PreviewRelease(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "console/jobs/{jobId}/chunks/{chunk:int}/preview")] HttpRequest request, string jobId, int chunk, CancellationToken ct) =>
        ActAsync(request, async (c, form, _) =>
        {
            var (domains, fields) = (form["internalDomains"].ToString(), form["personalFields"].ToString());
            var preview = OperatorPolicy(domains, fields, out var policy) is { } problem
                ? ReleasePreview.Refused(jobId, chunk, problem)
                : await previewer.PreviewAsync(jobId, chunk, policy, ct);
            return Page(c, c.T($"Release job {jobId}, chunk {chunk}?", $"ジョブ {jobId} の {chunk} 回目を解除しますか"), ConsolePages.Preview(c, preview, domains, fields));
        }, reasonRequired: false);

    [Function("ConsoleRelease")]
    public Task<IActionResult> Release(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "console/jobs/{jobId}/chunks/{chunk:int}/release")] HttpRequest request, string jobId, int chunk, CancellationToken ct) =>
        ActAsync(request, async (c, form, who) =>
        {
            if (OperatorPolicy(form["internalDomains"].ToString(), form["personalFields"].ToString(), out var policy) is { } problem)
            {
                return Page(c, c.T("Not released", "解除していません"), ConsolePages.Message(c, problem), 400);
            }

            // The officer saw the re-inspection and confirmed: that is the explicit decision a halted job needs.
            var decision = await incidents.ReleaseAsync(jobId, chunk, policy, releaseHaltedJob: true, who, ct);
            return await DecisionPageAsync(c, decision, jobId, chunk, c.T("Release", "解除・送信"), ct);
        });

    [Function("ConsoleDiscard")]
    public Task<IActionResult> Discard(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "console/jobs/{jobId}/chunks/{chunk:int}/discard")] HttpRequest request, string jobId, int chunk, CancellationToken ct) =>
        ActAsync(request, async (c, _, who) => await DecisionPageAsync(c, await incidents.DiscardAsync(jobId, chunk, who, ct), jobId, chunk, c.T("Discard", "破棄"), ct));

    [Function("ConsoleDismissReports")]
    public Task<IActionResult> DismissReports(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "console/incidents/{incidentId}/dismiss")] HttpRequest request, string incidentId, CancellationToken ct) =>
        ActAsync(request, async (c, _, who) =>
        {
            var result = await reports.DismissAsync(incidentId, who, ct);
            var status = result.Outcome switch { DismissOutcome.NotFound => 404, DismissOutcome.Refused => 409, _ => 200 };
            return Page(c, c.T($"Dismiss the reports of {incidentId}", $"{incidentId} の申告の却下"), ConsolePages.Dismissed(c, result, incidentId), status);
        });

    private async Task<IActionResult> ShowAsync(HttpRequest request, Func<ConsoleRequest, Task<IActionResult>> render)
    {
        var (_, refusal) = identity.Identify(request);
        return refusal ?? await render(ConsoleRequest.Read(request));
    }

    /// <summary>A POST from the console's own form, by an identified operator, with a reason when the action is recorded.</summary>
    private async Task<IActionResult> ActAsync(HttpRequest request, Func<ConsoleRequest, IFormCollection, OperatorAction, Task<IActionResult>> act, bool reasonRequired = true)
    {
        var (_, refusal) = identity.Identify(request);
        if (refusal is not null)
        {
            return refusal;
        }

        var c = ConsoleRequest.Read(request);
        var form = request.HasFormContentType ? await request.ReadFormAsync() : FormCollection.Empty;
        if (!ConsoleRequest.IsGenuinePost(request, form))
        {
            return Page(c, c.T("Refused", "受け付けませんでした"), ConsolePages.Message(c, c.T("This form is stale or did not come from the console: reload the page and try again.", "フォームの有効期限切れ、またはコンソール以外からの送信です。ページを再読み込みしてやり直してください。")), 403);
        }

        var reason = form["reason"].ToString().Trim();
        if (reasonRequired && reason.Length == 0)
        {
            return Page(c, c.T("A reason is needed", "理由が必要です"), ConsolePages.Message(c, c.T("Every action is recorded with who did it and why: give a reason.", "すべての操作は実施者と理由とともに記録されます。理由を入力してください。")), 400);
        }

        return await act(c, form, identity.Identify(request, reason.Length == 0 ? null : reason).Operator!);
    }

    private async Task<IActionResult> DecisionPageAsync(ConsoleRequest c, ChunkDecision decision, string jobId, int chunk, string action, CancellationToken ct)
    {
        var incidentId = (await queries.JobAsync(jobId, ct))?.IncidentId;
        return Page(c, c.T($"{action}: job {jobId}, chunk {chunk}", $"{action}: ジョブ {jobId} の {chunk} 回目"), ConsolePages.Decision(c, decision, jobId, chunk, incidentId, action), decision.Done ? 200 : 409);
    }

    /// <summary>The items of a list an operator typed: separated by commas (, 、), spaces or lines.</summary>
    private static string[] Items(string text) => text.Split([',', '、', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>What the operator adds to the job's policy, validated as a policy in a batch would be. Returns the problem, if any.</summary>
    private static string? OperatorPolicy(string internalDomains, string personalFields, out BatchPolicy? policy)
    {
        static JsonArray List(string text) => new(Items(text).Select(x => (JsonNode?)x).ToArray());
        policy = null;
        if (string.IsNullOrWhiteSpace(internalDomains) && string.IsNullOrWhiteSpace(personalFields))
        {
            return null;
        }

        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(new JsonObject { ["internalDomains"] = List(internalDomains), ["personalFields"] = List(personalFields) }.ToJsonString());
            policy = BatchParser.ParsePolicy(doc.RootElement);
            return null;
        }
        catch (BatchFormatException e)
        {
            return e.Message;
        }
    }
}
