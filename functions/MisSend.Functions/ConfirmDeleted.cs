using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MisSend.Application.Incidents;

namespace MisSend.Functions;

/// <summary>
/// The "deleted unread" link of a delete request. Anonymous, but only a signed, unexpired token counts. GET only shows
/// a button: mail scanners follow links, so only the person's POST records the confirmation.
/// </summary>
public sealed class ConfirmDeleted(IncidentService incidents)
{
    [Function(nameof(ConfirmDeleted))]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "confirm")] HttpRequest request, CancellationToken ct)
    {
        var token = request.Query["token"].ToString();
        if (HttpMethods.IsGet(request.Method))
        {
            return Page(HttpStatusCode.OK,
                $"<form method=\"post\" action=\"?token={WebUtility.HtmlEncode(Uri.EscapeDataString(token))}\">" +
                "<p>誤ってお送りしたメールを、開封せずに削除しましたか？<br>Did you delete the e-mails sent to you by mistake without opening them?</p>" +
                "<button type=\"submit\">はい、未開封のまま削除しました / Yes, I deleted them unread</button></form>");
        }

        var (ok, message) = await incidents.ConfirmDeletedAsync(token, ct);
        return ok
            ? Page(HttpStatusCode.OK, "<p>ご協力ありがとうございました。削除のご確認を承りました。<br>Thank you. Your confirmation has been recorded.</p>")
            : Page(message == "expired" ? HttpStatusCode.Gone : HttpStatusCode.BadRequest,
                $"<p>このリンクは無効です（{WebUtility.HtmlEncode(message)}）。<br>This link is not valid ({WebUtility.HtmlEncode(message)}).</p>");
    }

    private static ContentResult Page(HttpStatusCode status, string body) => new()
    {
        StatusCode = (int)status,
        ContentType = "text/html; charset=utf-8",
        Content = $"<!DOCTYPE html><html lang=\"ja\"><meta charset=\"utf-8\"><title>削除のご確認 / Confirm deletion</title><body style=\"font-family:sans-serif\">{body}</body></html>",
    };
}
