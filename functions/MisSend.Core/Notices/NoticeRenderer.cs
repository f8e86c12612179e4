using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using Fluid;
using MisSend.Core.Detection;

namespace MisSend.Core.Notices;

/// <summary>Renders apology and delete-request notices (ja/en) from the Liquid templates embedded in this assembly.</summary>
public sealed class NoticeRenderer
{
    private static readonly TimeZoneInfo Japan = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
    private readonly Dictionary<(NoticeKind, string), IFluidTemplate> _templates = [];

    public NoticeRenderer()
    {
        var parser = new FluidParser();
        foreach (var kind in Enum.GetValues<NoticeKind>())
        {
            foreach (var language in new[] { "ja", "en" })
            {
                var assembly = typeof(NoticeRenderer).Assembly;
                var suffix = $".{FileName(kind)}.{language}.liquid";
                var name = assembly.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith(suffix, StringComparison.Ordinal))
                    ?? throw new InvalidOperationException($"template *{suffix} is not embedded");
                using var stream = assembly.GetManifestResourceStream(name)!;
                var source = new StreamReader(stream, Encoding.UTF8).ReadToEnd();
                _templates[(kind, language)] = parser.TryParse(source, out var template, out var error)
                    ? template
                    : throw new InvalidOperationException($"template {name}: {error}");
            }
        }
    }

    public RenderedNotice Render(IncidentFacts incident, NoticeTarget target)
    {
        var ja = target.Language == "ja";
        var values = new Dictionary<string, object?>
        {
            ["name_line"] = ja ? "お客様各位" : "Dear customer,",
            ["organization"] = incident.Organization,
            ["incident_id"] = incident.IncidentId,
            ["contact"] = incident.ContactEmail,
            ["first_sent_at"] = FormatTime(incident.FirstSentAt, ja),
            ["recipient_count"] = target.RecipientCount,
            ["mail_count"] = target.MailCount,
            ["categories"] = string.Join(ja ? "、" : ", ", target.Categories.Select(c => ja ? c.Japanese() : c.English())),
            ["actions"] = ja ? incident.ActionsJa : incident.ActionsEn,
            ["confirm_url"] = target.ConfirmUrl,
            ["confirm_expires_at"] = target.ConfirmExpiresAt is { } expires ? FormatTime(expires, ja) : "",
        };
        var context = new TemplateContext(values);
        var text = _templates[(target.Kind, target.Language)].Render(context, NullEncoder.Default).Trim() + "\n";
        return new RenderedNotice(Subject(incident, target), text, ToHtml(text, target.ConfirmUrl));
    }

    /// <summary>The subject says what happened: a personal-data leak, not "a mis-send".</summary>
    private static string Subject(IncidentFacts incident, NoticeTarget target) => (target.Kind, target.Language) switch
    {
        (NoticeKind.Apology, "ja") => $"【重要・お詫び】お客様の個人情報漏えいについて（{incident.Organization}）",
        (NoticeKind.Apology, _) => $"Important: a leak of your personal data ({incident.Organization})",
        (_, "ja") => $"【重要・削除のお願い】誤ってお送りしたメールについて（{incident.Organization}）",
        _ => $"Important: please delete e-mails sent to you by mistake ({incident.Organization})",
    };

    internal static string FormatTime(DateTimeOffset at, bool ja)
    {
        var local = TimeZoneInfo.ConvertTime(at, Japan);
        return ja
            ? local.ToString("yyyy年M月d日 H:mm", CultureInfo.InvariantCulture) + "（日本時間）"
            : local.ToString("d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture) + " (JST)";
    }

    /// <summary>The HTML part is the same words: encoded, in paragraphs, with the confirmation link clickable.</summary>
    private static string ToHtml(string text, string? confirmUrl)
    {
        var sb = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif;line-height:1.6\">");
        foreach (var paragraph in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var encoded = WebUtility.HtmlEncode(paragraph).Replace("\n", "<br>");
            if (confirmUrl is not null)
            {
                var url = WebUtility.HtmlEncode(confirmUrl);
                encoded = encoded.Replace(url, $"<a href=\"{url}\">{url}</a>");
            }

            sb.Append("<p>").Append(encoded).Append("</p>");
        }

        return sb.Append("</body></html>").ToString();
    }

    private static string FileName(NoticeKind kind) => kind == NoticeKind.Apology ? "apology" : "delete-request";
}
