using MisSend.Core.Reports;
using static MisSend.Core.Tests.IncidentFixtures;

namespace MisSend.Core.Tests;

public sealed class NoticesTests
{
    [Fact]
    public void Dump()
    {
        foreach (var (name, r) in new[] { ("leak", Leak()), ("near-miss", NearMiss()), ("reported", Reported()), ("declared", ReportedDeclared()) })
        {
            File.WriteAllText($"/tmp/out/{name}.ja.md", IncidentReportRenderer.ToMarkdown(r, "ja"));
            File.WriteAllText($"/tmp/out/{name}.en.md", IncidentReportRenderer.ToMarkdown(r, "en"));
            File.WriteAllText($"/tmp/out/{name}.json", IncidentReportRenderer.ToJson(r));
        }
    }
}
