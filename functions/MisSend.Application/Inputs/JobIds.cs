using System.Text.RegularExpressions;

namespace MisSend.Application.Inputs;

/// <summary>
/// What a job id may be. It becomes a Table partition key, a blob name prefix and part of URLs, so it is kept to
/// ASCII letters, digits, '-', '_' and '.', starting with a letter or digit (so never "." or ".."), at most
/// <see cref="MaxLength"/> characters.
/// </summary>
public static partial class JobIds
{
    public const int MaxLength = 100;

    public const string Rule = "1-100 characters: ASCII letters, digits, '-', '_' and '.', starting with a letter or digit";

    /// <summary>Null when <paramref name="jobId"/> is valid, else why not.</summary>
    public static string? Problem(string? jobId) => jobId is not null && Pattern().IsMatch(jobId)
        ? null
        : $"jobId must be {Rule}";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
