using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using MisSend.Application.Incidents;
using MisSend.Core.Notices;

namespace MisSend.Functions;

/// <summary>
/// The "this mail is not for me" link of every mail the pipeline sends. Anonymous, but only a signed, unexpired token
/// counts. GET only shows the page and its button: mail scanners follow links, so only the person's POST reports.
/// </summary>
public sealed class NotMine(NotMineService reports, IOptions<NoticeSenderOptions> sender)
{
    [Function(nameof(NotMine))]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "not-mine")] HttpRequest request, CancellationToken ct)
    {
        var token = request.Query["token"].ToString();
        var page = new NotMinePage(request, sender.Value);
        if (HttpMethods.IsGet(request.Method))
        {
            var (language, failure) = reports.Check(token);
            return language is null ? page.NotValid(expired: failure == TokenFailure.Expired) : page.Ask(language, token);
        }

        var (parts, refused) = await NotMinePage.ReadPartsAsync(request, ct);
        if (refused is not null)
        {
            return refused;
        }

        var answer = await reports.ReportAsync(token, parts!, ct);
        return answer.Counted ? page.Thanks(answer.Language!) : page.NotValid(expired: answer.Outcome == NotMineOutcome.Expired);
    }
}
