namespace MisSend.Core.Text;

/// <summary>Masks personal values for findings, logs and reports: <c>t***@example.com</c>, <c>山***</c>.</summary>
public static class Mask
{
    public static string Email(string email)
    {
        var at = email.LastIndexOf('@');
        return at <= 0 ? "***" : $"{char.ToLowerInvariant(email[0])}***{email[at..].ToLowerInvariant()}";
    }

    public static string Value(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.Contains('@'))
        {
            return Email(trimmed);
        }

        return trimmed.Length == 0 ? "***" : $"{char.ConvertFromUtf32(char.ConvertToUtf32(trimmed, 0))}***";
    }

    /// <summary>Up to <paramref name="max"/> masked addresses, then "and N more".</summary>
    public static string List(IEnumerable<string> emails, int max = 3)
    {
        var all = emails.ToList();
        var shown = string.Join(", ", all.Take(max).Select(Email));
        return all.Count > max ? $"{shown} and {all.Count - max} more" : shown;
    }
}
