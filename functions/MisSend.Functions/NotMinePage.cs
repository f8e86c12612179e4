using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using MisSend.Core;
using MisSend.Core.Incidents;
using MisSend.Core.Notices;

namespace MisSend.Functions;

/// <summary>
/// The recipient's pages of the "not mine" link, in their language: the question with its button, the thanks, and a
/// plain page for a link that is not valid. They show no personal data (nothing of the mail, not even the address), and
/// keep the token out of referrers and caches.
/// </summary>
public sealed class NotMinePage(HttpRequest request, NoticeSenderOptions sender)
{
    /// <summary>A form of four optional checkboxes is a few hundred bytes.</summary>
    public const int MaxFormBytes = 4096;

    public const string PartField = "part";

    public ContentResult Ask(string language, string token)
    {
        var ja = language == "ja";
        var action = $"?token={Uri.EscapeDataString(token)}";
        var parts = string.Concat(Enum.GetValues<NotMinePart>().Select(p =>
            $"<label><input type=\"checkbox\" name=\"{PartField}\" value=\"{StoredName.Of(p)}\"> {E(PartName(p, ja))}</label>"));
        return Page(HttpStatusCode.OK, language, ja ? "このメールについて" : "About this mail",
            $"<p>{E(ja
                ? $"{sender.OrganizationIn("ja")}からのメールが、ご自身宛てではなかった（他の方のお名前・ご住所・金額などが書かれていた）場合は、下のボタンでお知らせください。担当者がすぐに確認いたします。"
                : $"If the mail you received from {sender.OrganizationIn("en")} was not meant for you (it shows someone else's name, address or amount), please tell us with the button below. Our staff will look into it at once.")}</p>"
            + $"<form method=\"post\" action=\"{E(action)}\"><fieldset><legend>{E(ja ? "ご自身のものではなかった項目（任意）" : "What was not yours (optional)")}</legend>{parts}</fieldset>"
            + $"<button type=\"submit\">{E(ja ? "このメールは私宛てではありません" : "This mail was not meant for me")}</button></form>");
    }

    public ContentResult Thanks(string language)
    {
        var ja = language == "ja";
        return Page(HttpStatusCode.OK, language, ja ? "ありがとうございました" : "Thank you",
            $"<p>{E(ja
                ? $"お知らせいただき、ありがとうございました。{sender.OrganizationIn("ja")}の担当者が確認いたします。お手数をおかけし申し訳ございませんが、このメールは転送せずに削除してください。"
                : $"Thank you for telling us. {sender.OrganizationIn("en")} will look into it. We are sorry for the trouble: please delete the mail without forwarding it.")}</p>");
    }

    /// <summary>Forged, altered, expired, or naming no mail we sent: said plainly in both languages (the token cannot be trusted for one).</summary>
    public ContentResult NotValid(bool expired) => Page(expired ? HttpStatusCode.Gone : HttpStatusCode.BadRequest, "ja", "このリンクは無効です / This link is not valid",
        expired
            ? "<p>このリンクは有効期限が切れています。お手数ですが、メールの送信元に直接ご連絡ください。<br>This link has expired. Please contact the sender of the mail directly.</p>"
            : "<p>このリンクは無効です。お手数ですが、メールの送信元に直接ご連絡ください。<br>This link is not valid. Please contact the sender of the mail directly.</p>");

    /// <summary>The parts the form names; unknown values are ignored. A body over <see cref="MaxFormBytes"/> is refused.</summary>
    public static async Task<(IReadOnlyList<NotMinePart>? Parts, IActionResult? Refused)> ReadPartsAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            return ([], null);
        }

        var tooLarge = new ContentResult { StatusCode = StatusCodes.Status413PayloadTooLarge, ContentType = "text/plain; charset=utf-8", Content = "too large" };
        if (request.ContentLength is null or > MaxFormBytes)
        {
            return (null, tooLarge);
        }

        try
        {
            var form = await request.ReadFormAsync(new FormOptions { ValueCountLimit = 16, KeyLengthLimit = 16, ValueLengthLimit = 16 }, ct);
            return (form[PartField].Select(v => StoredName.TryParse<NotMinePart>(v, out var part) ? part : (NotMinePart?)null).OfType<NotMinePart>().Distinct().ToArray(), null);
        }
        catch (InvalidDataException)
        {
            return (null, tooLarge);
        }
    }

    private static string PartName(NotMinePart part, bool ja) => part switch
    {
        NotMinePart.Name => ja ? "お名前" : "Name",
        NotMinePart.Address => ja ? "ご住所" : "Address",
        NotMinePart.Amount => ja ? "金額" : "Amount",
        _ => ja ? "その他" : "Other",
    };

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private ContentResult Page(HttpStatusCode status, string language, string title, string body)
    {
        // The token is a capability: no referrer carries it elsewhere, no cache keeps the page.
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        request.HttpContext.Response.Headers["Referrer-Policy"] = "no-referrer";
        return new ContentResult
        {
            StatusCode = (int)status,
            ContentType = "text/html; charset=utf-8",
            Content = $"<!DOCTYPE html><html lang=\"{language}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + $"<meta name=\"referrer\" content=\"no-referrer\"><title>{E(title)}</title></head>"
                + $"<body style=\"font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em\"><h1>{E(title)}</h1>{body}</body></html>",
        };
    }
}
