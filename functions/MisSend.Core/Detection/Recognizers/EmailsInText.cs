using System.Text.RegularExpressions;
using MisSend.Core.Text;

namespace MisSend.Core.Detection.Recognizers;

/// <summary>E-mail addresses in free text, however typed (全角 included, as NFKC folds it).</summary>
public static partial class EmailsInText
{
    /// <param name="text">NFKC-folded text (positions refer to it).</param>
    public static IEnumerable<Identifier> Find(string text)
    {
        if (!text.Contains('@'))
        {
            yield break;
        }

        foreach (Match m in Email().Matches(text))
        {
            var email = TextNormalizer.NormalizeEmail(m.Value);
            yield return new Identifier(DataCategory.Email, m.Index, m.Length, email, !Domains.IsRoleAddress(email));
        }
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")]
    private static partial Regex Email();
}
