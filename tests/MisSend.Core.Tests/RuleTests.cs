using System.Text;
using System.Text.Json.Nodes;
using MisSend.Core.Batches;
using MisSend.Core.Detection;
using MisSend.TestSupport.Corpus;
using static MisSend.TestSupport.Corpus.Bodies;

namespace MisSend.Core.Tests;

/// <summary>Each rule fires on a minimal leaky batch and stays silent on its clean twin.</summary>
public sealed class RuleTests
{
    private static readonly List<Person> People = JapanesePeople.Make(4, seed: 7);

    private static Verdict Scan(JsonObject mail) => LeakDetector.Scan(BatchParser.Parse(Json(mail)));

    private static void AssertFires(string rule, JsonObject leaky, JsonObject clean)
    {
        var bad = Scan(leaky);
        Assert.Contains(bad.Findings, f => f.Rule == rule);
        Assert.Equal("halt", bad.Decision);

        var good = Scan(clean);
        Assert.DoesNotContain(good.Findings, f => f.Rule == rule);
        Assert.Equal("pass", good.Decision);
    }

    [Fact]
    public void Visible_recipients()
    {
        var (a, b) = (People[0], People[1]);
        AssertFires(Rules.VisibleRecipients,
            Mail([P(To(a), cc: [To(b)])], subject: "開幕戦のご案内"),
            Mail([P(To(a)), P(To(b))], subject: "開幕戦のご案内"));
    }

    [Fact]
    public void Visible_recipients_ignores_internal_staff_in_cc()
    {
        var verdict = Scan(Mail([P(To(People[0]), Guide(People[0]), cc: [Addr($"staff@{ClubDomain}")]), P(To(People[1]), Guide(People[1]))]));
        Assert.Equal("pass", verdict.Decision);
    }

    [Fact]
    public void Shared_personal_data()
    {
        var (a, b) = (People[0], People[1]);
        AssertFires(Rules.SharedPersonalData,
            Mail([P(To(a), Guide(a), bcc: [Addr(b.Email)]), P(To(b), Guide(b))]),
            Mail([P(To(a), Guide(a)), P(To(b), Guide(b))]));
    }

    [Fact]
    public void Wrong_owner_by_email()
    {
        var (a, b) = (People[0], People[1]);
        AssertFires(Rules.WrongOwner,
            Mail([P(Addr(a.Email), Guide(b)), P(Addr(b.Email), Guide(a))]),
            Mail([P(Addr(a.Email), Guide(a)), P(Addr(b.Email), Guide(b))]));
    }

    [Fact]
    public void Wrong_owner_by_display_name()
    {
        var (a, b) = (People[0], People[1]);
        AssertFires(Rules.WrongOwner,
            Mail([P(To(a), Guide(b, email: false)), P(To(b), Guide(a, email: false))]),
            Mail([P(To(a), Guide(a, email: false)), P(To(b), Guide(b, email: false))]));
    }

    [Fact]
    public void Wrong_owner_by_subject_line()
    {
        var (a, b) = (People[0], People[1]);
        var seat = new JsonObject { ["seat"] = "S指定席", ["member_no"] = a.MemberNo };
        var seatB = new JsonObject { ["seat"] = "A指定席", ["member_no"] = b.MemberNo };
        AssertFires(Rules.WrongOwner,
            Mail([P(To(a), seat, subject: $"{b.Name}様 更新完了"), P(To(b), seatB, subject: $"{a.Name}様 更新完了")]),
            Mail([P(To(a), seat.DeepClone().AsObject(), subject: $"{a.Name}様 更新完了"), P(To(b), seatB.DeepClone().AsObject(), subject: $"{b.Name}様 更新完了")]));
    }

    [Fact]
    public void Fan_in()
    {
        var (a, b, c) = (People[0], People[1], People[2]);
        AssertFires(Rules.FanIn,
            Mail([P(To(a), Guide(a, email: false)), P(Addr(a.Email), Guide(b, email: false)), P(To(c), Guide(c, email: false))]),
            Mail([P(To(a), Guide(a, email: false)), P(To(b), Guide(b, email: false)), P(To(c), Guide(c, email: false))]));
    }

    [Fact]
    public void Foreign_data_in_content()
    {
        var (a, b) = (People[0], People[1]);
        AssertFires(Rules.ForeignDataInContent,
            Mail([P(To(a), Guide(a)), P(To(b), Guide(b))], content: [("text/plain", $"{{{{name}}}} 様\n参考: {b.Name} {b.Email}")]),
            Mail([P(To(a), Guide(a)), P(To(b), Guide(b))], content: [("text/plain", "{{name}} 様\nお支払い期限: 2027年1月15日")]));
    }

    [Fact]
    public void Foreign_data_in_attachment()
    {
        var (a, b) = (People[0], People[1]);
        AssertFires(Rules.ForeignDataInContent,
            Mail([P(To(a), Guide(a)), P(To(b), Guide(b))], attachments: [Attachment("list.csv", "text/csv", Encoding.UTF8.GetBytes(Roster([a, b])))]),
            Mail([P(To(a), Guide(a)), P(To(b), Guide(b))], attachments: [Attachment("fixtures.csv", "text/csv", Encoding.UTF8.GetBytes("節,日付\n1,2027/02/27\n"))]));
    }

    [Fact]
    public void Roster_of_strangers_in_content()
    {
        var strangers = JapanesePeople.Make(3, seed: 8, firstId: 900);
        var (a, b) = (People[0], People[1]);
        var verdict = Scan(Mail([P(To(a), Guide(a)), P(To(b), Guide(b))],
            content: [("text/plain", string.Join("\n", strangers.Select(s => $"{s.Name} {s.Email} {s.Phone}")))]));
        Assert.Contains(verdict.Findings, f => f.Rule == Rules.ForeignDataInContent && f.Personalization is null);
    }

    [Fact]
    public void Deliveries_say_who_receives_whose_data()
    {
        var (a, b) = (People[0], People[1]);
        var clean = Scan(Mail([P(To(a), Guide(a)), P(To(b), Guide(b))]));
        Assert.All(clean.Deliveries, d => Assert.False(d.Misdirected));
        Assert.All(clean.Deliveries, d => Assert.True(d.OwnerConfirmed));

        var leaky = Scan(Mail([P(To(a), Guide(a), bcc: [Addr(b.Email)]), P(To(b), Guide(b))]));
        var wrong = Assert.Single(leaky.Deliveries, d => d.Misdirected);
        Assert.Equal(b.Email, wrong.Recipient);
        Assert.Equal(a.Email, wrong.SubjectEmail);
        Assert.Contains(DataCategory.Name, wrong.Categories);
    }
}
