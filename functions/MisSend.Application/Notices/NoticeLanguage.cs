namespace MisSend.Application.Notices;

/// <summary>The language the product speaks to one person in: the job's policy decides; without one, Japanese for .jp addresses and English otherwise.</summary>
public static class NoticeLanguage
{
    public static string For(string? policyLanguage, string email) =>
        policyLanguage ?? (email.EndsWith(".jp", StringComparison.OrdinalIgnoreCase) ? "ja" : "en");
}
