using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using MisSend.Application.Incidents;
using MisSend.Core;
using MisSend.Core.Detection;
using MisSend.Core.Incidents;
using MisSend.Core.Reports;

namespace MisSend.Functions;

/// <summary>Reads the bodies of the incident routes, with limits; a body that cannot be read is refused with why.</summary>
public static class IncidentRequests
{
    /// <summary>A declared list of 10,000 lines is well under this.</summary>
    public const int MaxCsvBytes = 5 * 1024 * 1024;

    public const int MaxJsonBytes = 64 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static async Task<(ScopeRequest? Request, IActionResult? Refused)> ReadScopeAsync(HttpRequest request, CancellationToken ct)
    {
        var csv = request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true;
        var (body, refused) = await ReadBodyAsync(request, csv ? MaxCsvBytes : MaxJsonBytes, ct);
        if (refused is not null)
        {
            return (null, refused);
        }

        if (csv)
        {
            return (new ScopeRequest(Csv: body), null);
        }

        ScopeBody? given;
        try
        {
            given = JsonSerializer.Deserialize<ScopeBody>(body, Json);
        }
        catch (JsonException e)
        {
            return (null, Bad($"invalid JSON ({e.Message}); send {{\"everyone\": true}}, {{\"shifted\": k}} or a CSV list with Content-Type: text/csv"));
        }

        var (categories, problem) = ScopeRequest.ParseCategories(given?.Categories);
        if (given is null || problem is not null)
        {
            return (null, Bad(problem ?? "a JSON object is required"));
        }

        return (new ScopeRequest(given.Everyone == true, given.Shifted, categories), null);
    }

    public static async Task<(OperatorRecordsChange? Change, IActionResult? Refused)> ReadRecordsAsync(HttpRequest request, CancellationToken ct)
    {
        var (body, refused) = await ReadBodyAsync(request, MaxJsonBytes, ct);
        if (refused is not null)
        {
            return (null, refused);
        }

        try
        {
            return JsonSerializer.Deserialize<OperatorRecordsChange>(body, Json) is { } change ? (change, null) : (null, Bad("a JSON object is required"));
        }
        catch (JsonException e)
        {
            return (null, Bad($"invalid JSON ({e.Message}); answers are yes, no or unknown, and times ISO 8601 with an offset"));
        }
    }

    /// <summary>What a declaration changed, in counts (no addresses: the answer may be logged or shown in a console).</summary>
    public static object Describe(string incidentId, ScopeDeclarationResult result)
    {
        var (scope, change) = (result.Scope!, result.Change!);
        return new
        {
            incidentId,
            mode = StoredName.Of(change.Mode),
            scope = new
            {
                dataSubjects = scope.Subjects.Count,
                wrongRecipients = scope.Recipients.Count,
                exposures = scope.Exposures,
                categories = scope.Categories.Select(c => c.Id()),
                subjectsWithoutAddress = scope.Subjects.Count(s => s.Subject.Email is null),
            },
            added = Counts(change.Added),
            removed = Counts(change.Removed),
            keptFromEarlier = Counts(change.KeptFromEarlier),
            notifiedWithChangedCounts = Counts(change.NotifiedWithChangedCounts),
        };
    }

    public static object Errors(ScopeDeclarationResult result) => new
    {
        error = result.Message ?? "the declaration was not applied",
        errors = result.Errors.Select(e => new { line = e.Line, code = StoredName.Of(e.Code), message = e.Message("en"), messageJa = e.Message("ja") }),
    };

    private static object Counts(PeopleDelta delta) => new { dataSubjects = delta.SubjectKeys.Count, recipients = delta.Recipients.Count };

    private static BadRequestObjectResult Bad(string error) => new(new { error });

    private static async Task<(byte[] Body, IActionResult? Refused)> ReadBodyAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        var tooLarge = new ObjectResult(new { error = $"the body is over {limit:N0} bytes" }) { StatusCode = StatusCodes.Status413PayloadTooLarge };
        if (request.ContentLength > limit)
        {
            return ([], tooLarge);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        for (int read; (read = await request.Body.ReadAsync(chunk, ct)) > 0;)
        {
            if (buffer.Length + read > limit)
            {
                return ([], tooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.ToArray(), null);
    }

    private sealed record ScopeBody(bool? Everyone, int? Shifted, IReadOnlyList<string>? Categories);
}
