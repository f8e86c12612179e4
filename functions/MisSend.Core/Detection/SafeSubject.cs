using System.Text;
using MisSend.Core.Detection.Recognizers;
using MisSend.Core.Text;

namespace MisSend.Core.Detection;

/// <summary>
/// The subject line recipients saw with every identifying value replaced by "…", so that a delete request can name the
/// mail ("「… 様 2027シーズンチケット お支払いのご案内」") without repeating anyone's data.
/// </summary>
internal static class SafeSubject
{
    public const string Gap = "…";

    public static string? Of(ScanContext context)
    {
        var raw = context.Views.Count > 0 ? context.Views[0].Subject : context.Mail.Subject;
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var line = string.Join(' ', raw.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()));
        return Redact(line, Values(context), context);
    }

    /// <summary>The first personalization's own values (its people's names, name parts, addresses, numbers).</summary>
    private static IEnumerable<string> Values(ScanContext context)
    {
        var view = context.Views[0];
        foreach (var f in view.Fields.Where(f => f.Identity is not null || f.Key.PolicyPersonal))
        {
            yield return f.Category == DataCategory.Name ? TextNormalizer.NormalizeName(f.Raw) : f.Norm;
            foreach (var token in f.Name?.Tokens ?? [])
            {
                yield return TextNormalizer.Normalize(token);
            }
        }

        foreach (var x in view.Recipients)
        {
            yield return TextNormalizer.Normalize(x.Email);
            foreach (var token in x.Name?.Tokens ?? [])
            {
                yield return TextNormalizer.Normalize(token);
            }
        }
    }

    /// <summary>Replaces each identifying run of <paramref name="line"/> with one <see cref="Gap"/>.</summary>
    internal static string Redact(string line, IEnumerable<string> values, ScanContext? context = null)
    {
        // Normalized text with, for each of its characters, the index of the raw character it came from.
        var norm = new StringBuilder(line.Length);
        var map = new List<int>(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            foreach (var c in TextNormalizer.Normalize(line[i].ToString()))
            {
                norm.Append(c);
                map.Add(i);
            }
        }

        var text = norm.ToString();
        var hidden = new bool[line.Length];

        // Anyone else of the batch the subject names (a subject line shifted by one row names another customer).
        foreach (var (at, length) in context?.FindPersonValues(text) ?? [])
        {
            hidden.AsSpan(map[at], map[at + length - 1] - map[at] + 1).Fill(true);
        }

        foreach (var value in values.Where(v => v.Length >= 2).Distinct())
        {
            for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
            {
                hidden.AsSpan(map[at], map[at + value.Length - 1] - map[at] + 1).Fill(true);
            }
        }

        var folded = TextNormalizer.Nfkc(line);
        if (folded.Length == line.Length)
        {
            var found = EmailsInText.Find(folded).Concat(PhonesInText.Find(folded, "JP")).Concat(LabelledValues.Find(folded))
                .Concat(NamesInText.Find(folded)).Concat(PaymentCards.Find(folded)).Concat(Iban.Find(folded));
            foreach (var id in found)
            {
                hidden.AsSpan(id.Start, id.Length).Fill(true);
            }
        }

        var result = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            if (!hidden[i])
            {
                result.Append(line[i]);
            }
            else if (i == 0 || !hidden[i - 1])
            {
                result.Append(Gap);
            }
        }

        return result.ToString();
    }
}
