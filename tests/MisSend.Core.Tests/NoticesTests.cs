using MisSend.Core.Detection;
using MisSend.Core.Incidents;
using MisSend.Core.Notices;
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

        var facts = new IncidentFacts("INC-7F3KQ2M9X4AB", [Rules.SharedPersonalData], null, StepState.Done);
        foreach (var lang in new[] { "ja", "en" })
        {
            var a = Renderer().Render(facts, new ApologyTarget(lang, "山田 太郎", GuideCategories, 212, SentAt, StepState.Planned));
            File.WriteAllText($"/tmp/out/apology.{lang}.txt", a.Subject + "\n----\n" + a.Text + "\n----\n" + a.Html);
            var token = ConfirmationToken.Create(new("INC-7F3KQ2M9X4AB", RecipientKey.For("taro.yamada@example.jp", Key), SentAt.AddDays(30)), Key);
            var d = Renderer().Render(facts, new DeleteRequestTarget(lang, null, "2027シーズンチケット お支払いのご案内（佐*** 様）", SentAt, 212, token, SentAt.AddDays(30)));
            File.WriteAllText($"/tmp/out/delete.{lang}.txt", d.Subject + "\n----\n" + d.Text + "\n----\n" + d.Html);
        }
    }
}
