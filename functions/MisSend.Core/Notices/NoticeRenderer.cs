using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text;
using Fluid;
using Microsoft.Extensions.Options;
using MisSend.Core;
using MisSend.Core.Detection;

namespace MisSend.Core.Notices;

/// <summary>
/// Renders apologies and delete requests (ja/en) from the Liquid templates embedded in this assembly: one call per
/// notice, giving its subject, text part and HTML part. The templates say a step was taken only when the model says
/// <see cref="StepState.Done"/>.
/// </summary>
public sealed class NoticeRenderer
{
    private static readonly Dictionary<(NoticeKind, string), IFluidTemplate> Templates = new[] { "ja", "en" }
        .SelectMany(language => Enum.GetValues<NoticeKind>().Select(kind => (kind, language)))
        .ToDictionary(key => key, key => Liquid.Load($"{StoredName.Of(key.kind)}.{key.language}.liquid"));

    private readonly NoticeSenderOptions _sender;

    /// <exception cref="ValidationException">The options are incomplete, or the confirmation page is not https.</exception>
    public NoticeRenderer(IOptions<NoticeSenderOptions> options)
    {
        _sender = options.Value;
        Validator.ValidateObject(_sender, new ValidationContext(_sender), validateAllProperties: true);
    }

    public RenderedNotice Render(IncidentFacts incident, NoticeTarget target)
    {
        var ja = Liquid.IsJapanese(target.Language);
        var confirmUrl = target is DeleteRequestTarget d ? $"{_sender.ConfirmationPageUrl}?token={Uri.EscapeDataString(d.ConfirmationToken)}" : null;
        var categories = (target as ApologyTarget)?.Categories ?? [];
        var view = new NoticeView(
            Org: _sender.OrganizationIn(target.Language),
            We: _sender.Style == SenderStyle.Office ? "当事務局" : "弊社",
            ContactEmail: incident.ContactEmail ?? _sender.ContactEmail,
            ContactPhone: _sender.ContactPhone,
            ContactHours: ja ? _sender.ContactHoursJa : _sender.ContactHoursEn,
            Incident: incident,
            Target: target,
            ConfirmUrl: confirmUrl,
            ConfirmHost: new Uri(_sender.ConfirmationPageUrl).Host,
            CardNumber: categories.Contains(DataCategory.CardNumber),
            BankAccount: categories.Contains(DataCategory.BankAccount));
        var text = Liquid.Render(Templates[(target.Kind, target.Language)], view, target.Language, out var captured);
        var html = ToHtml(text, target.Language, confirmUrl, captured.GetValueOrDefault("button_label", ""));
        return new RenderedNotice(captured["subject"], text, html);
    }

    private sealed record NoticeView(
        string Org,
        string We,
        string ContactEmail,
        string ContactPhone,
        string ContactHours,
        IncidentFacts Incident,
        NoticeTarget Target,
        string? ConfirmUrl,
        string ConfirmHost,
        bool CardNumber,
        bool BankAccount);

    /// <summary>
    /// The HTML part says the same words as the text part, encoded: "■ " lines are headings, "・" and "- " lines are
    /// lists, the confirmation URL is a button.
    /// </summary>
    private static string ToHtml(string text, string language, string? confirmUrl, string buttonLabel)
    {
        var html = new StringBuilder($"<!DOCTYPE html><html lang=\"{language}\"><head><meta charset=\"utf-8\"></head>")
            .Append("<body style=\"font-family:sans-serif;line-height:1.7;color:#222;max-width:640px\">");
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n').ToList();
            if (lines[0].StartsWith("■ ", StringComparison.Ordinal))
            {
                html.Append("<h2 style=\"font-size:1.05em;border-bottom:1px solid #ccc\">").Append(Encode(lines[0][2..])).Append("</h2>");
                lines.RemoveAt(0);
            }

            var paragraph = new List<string>();
            var list = new List<string>();
            foreach (var line in lines.Append(""))
            {
                var item = line.StartsWith('・') ? line[1..] : line.StartsWith("- ", StringComparison.Ordinal) ? line[2..] : null;
                if (item is null && list.Count > 0)
                {
                    html.Append("<ul>").AppendJoin("", list.Select(i => $"<li>{Encode(i)}</li>")).Append("</ul>");
                    list.Clear();
                }

                if ((item is not null || line.Length == 0 || line == confirmUrl) && paragraph.Count > 0)
                {
                    html.Append("<p>").AppendJoin("<br>", paragraph.Select(Encode)).Append("</p>");
                    paragraph.Clear();
                }

                if (item is not null)
                {
                    list.Add(item);
                }
                else if (line == confirmUrl)
                {
                    html.Append($"<p><a href=\"{Encode(confirmUrl)}\" style=\"display:inline-block;padding:12px 24px;background:#1a4f9c;color:#fff;text-decoration:none;border-radius:4px\">")
                        .Append(Encode(buttonLabel)).Append("</a></p>");
                }
                else if (line.Length > 0)
                {
                    paragraph.Add(line);
                }
            }
        }

        return html.Append("</body></html>").ToString();
    }

    private static string Encode(string s) => WebUtility.HtmlEncode(s);
}
