using System.Text.Json.Nodes;
using MisSend.Core.Batches;
using MisSend.Core.Detection;
using MisSend.Core.Text;
using MisSend.TestSupport.Corpus;
using static MisSend.TestSupport.Corpus.Bodies;

namespace MisSend.Core.Tests;

/// <summary>
/// People a shared text names are held as one text exposure, not one reach per recipient; the ledger rows
/// (<see cref="Verdict.Deliveries"/>) must still list every (personalization, recipient, person), and the finding must
/// count what the rows show.
/// </summary>
public sealed class TextExposureTests
{
    private static readonly List<Person> Batch = JapanesePeople.Make(6, seed: 31);

    /// <summary>People of another list, none with a name of the batch.</summary>
    private static readonly List<Person> Outsiders = JapanesePeople.Make(40, seed: 77, firstId: 5000)
        .Where(o => Batch.All(p => p.Sei != o.Sei && p.Name != o.Name)).Take(4).ToList();

    private static Verdict Scan(JsonObject mail) => LeakDetector.Scan(BatchParser.Parse(Json(mail)));

    private static string Line(Person p) => $"{p.Name} 様 {p.Email} {p.Phone} 会員番号:{p.MemberNo}";

    [Fact]
    public void A_roster_of_outsiders_in_the_body_is_one_row_per_recipient_and_outsider()
    {
        var verdict = Scan(Mail(PerRecipient(Batch), content: [("text/plain", "会員名簿\n" + string.Join("\n", Outsiders.Select(Line)))]));

        Assert.Equal("halt", verdict.Decision);
        var own = verdict.Deliveries.Where(d => !d.Misdirected).ToList();
        var exposed = verdict.Deliveries.Where(d => d.Misdirected).ToList();
        Assert.Equal(Batch.Count, own.Count);
        Assert.Equal(Batch.Count * Outsiders.Count, exposed.Count);
        Assert.All(Batch, p => Assert.Equal(Outsiders.Count, exposed.Count(d => d.Recipient == p.Email)));
        Assert.Equal(Outsiders.Count, exposed.Select(d => d.SubjectKey).Distinct().Count());
        Assert.All(exposed, d => Assert.True(!d.OwnerConfirmed && d.Relationship is null && d.Categories.Contains(DataCategory.Email)));

        // In batch order, each mail's own row before the outsiders it carries.
        Assert.Equal(verdict.Deliveries.OrderBy(d => d.Personalization).Select(d => d.Personalization), verdict.Deliveries.Select(d => d.Personalization));
        Assert.All(verdict.Deliveries.GroupBy(d => d.Personalization), rows => Assert.False(rows.First().Misdirected));

        var finding = Assert.Single(verdict.Findings, f => f.Rule == Rules.ForeignDataInContent);
        Assert.Equal(Batch.Count, finding.People);
        Assert.EndsWith($"({Outsiders.Count} people)", finding.Detail);
    }

    [Fact]
    public void A_person_of_the_batch_named_in_the_body_is_exposed_to_everyone_but_themselves()
    {
        var named = Batch[1];
        var verdict = Scan(Mail(PerRecipient(Batch), content: [("text/plain", "ご参考\n" + Line(named))]));

        var theirs = verdict.Deliveries.Where(d => d.SubjectKey == "e:" + named.Email).ToList();
        Assert.Equal(Batch.Count, theirs.Count);
        var self = Assert.Single(theirs, d => d.Recipient == named.Email);
        Assert.True(self.OwnerConfirmed && !self.Misdirected);
        Assert.All(theirs.Where(d => d != self), d => Assert.True(d.Misdirected && !d.OwnerConfirmed));
        Assert.Equal(Batch.Where(p => p != named).Select(p => p.Email).Order(), theirs.Where(d => d.Misdirected).Select(d => d.Recipient).Order());
    }

    [Fact]
    public void A_shared_subject_line_exposes_only_through_the_mails_without_their_own_subject()
    {
        var named = Batch[3];
        var mails = Batch.Select((p, i) => P(To(p), Guide(p), subject: i % 2 == 0 ? "個別のご案内" : null)).ToList();
        var verdict = Scan(Mail(mails, subject: $"{named.Name} 様 会員番号 {named.MemberNo} のご案内"));

        var exposed = verdict.Deliveries.Where(d => d.Misdirected && d.SubjectKey == "e:" + named.Email).Select(d => d.Personalization).Order();
        Assert.Equal(Enumerable.Range(0, Batch.Count).Where(i => i % 2 == 1 && Batch[i] != named), exposed);
    }

    /// <summary>
    /// The finding is computed from the text exposures as a whole and the rows one by one: they must agree, also where a
    /// recipient's row was looked at again (a visible address, a reply_to) or a person is in two texts.
    /// </summary>
    [Theory]
    [InlineData("plain")]
    [InlineData("plain-and-html")]
    [InlineData("visible-to")]
    [InlineData("reply-to")]
    [InlineData("subject-and-body")]
    public void The_finding_and_the_rows_of_a_shared_text_agree(string shape)
    {
        var (a, b) = (Batch[1], Batch[2]);
        var text = Line(a) + "\n" + Line(b);
        var mails = Batch.Select((p, i) => P(To(p), Guide(p), subject: shape == "subject-and-body" && i < 2 ? "個別のご案内" : null)).ToList();
        if (shape == "visible-to")
        {
            ((JsonArray)mails[0]["to"]!).Add(To(a));
        }

        var mail = Mail(mails, subject: shape == "subject-and-body" ? $"{b.Name} 様 {b.Phone}" : "ご案内",
            content: shape == "plain-and-html" ? [("text/plain", text), ("text/html", $"<p>{a.Name} 様 {a.Phone}</p><p>{b.Name} 様 {b.MemberNo}</p>")] : [("text/plain", text)]);
        if (shape == "reply-to")
        {
            mail["reply_to"] = Addr(a.Email, a.Name);
        }

        var verdict = Scan(mail);
        var rows = verdict.Deliveries.Where(d => d.Misdirected && (d.SubjectKey == "e:" + a.Email || d.SubjectKey == "e:" + b.Email)).ToList();
        var findings = verdict.Findings.Where(f => f.Rule == Rules.ForeignDataInContent).ToList();
        Assert.NotEmpty(findings);
        Assert.Equal(rows.Select(d => d.Recipient).Distinct().Count(), findings.Max(f => f.People));
        Assert.Subset(rows.SelectMany(d => d.Categories).ToHashSet(), findings.SelectMany(f => f.Categories).ToHashSet());
    }

    [Fact]
    public void A_long_roster_to_many_recipients_lists_every_row()
    {
        var people = JapanesePeople.Make(120, seed: 5);
        var outsiders = JapanesePeople.Make(400, seed: 6, firstId: 9000).Where(o => people.All(p => p.Name != o.Name)).Take(25).ToList();
        var verdict = Scan(Mail(PerRecipient(people), content: [("text/plain", "名簿\n" + string.Join("\n", outsiders.Select(Line)))]));

        var recipients = people.Select(p => p.Email).Distinct().Count();
        Assert.Equal(outsiders.Count * recipients, verdict.Deliveries.Count(d => d.Misdirected && outsiders.Any(o => d.SubjectKey == "e:" + o.Email)));
        Assert.Equal(verdict.Deliveries.Count, verdict.Deliveries.Distinct().Count());
    }

    /// <summary>Noncharacters (U+FFFE, U+FDD0 ...) are refused by ICU on either path.</summary>
    private static bool IsValidUnicode(string s)
    {
        try
        {
            _ = s.Normalize(System.Text.NormalizationForm.FormKC);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The character tables of the fast paths and the rules they stand for must never disagree.</summary>
    [Fact]
    public void Normalization_fast_paths_agree_with_the_rules_for_every_character()
    {
        for (var c = 0; c <= char.MaxValue; c++)
        {
            var s = ((char)c).ToString();
            if (char.IsSurrogate((char)c) || !IsValidUnicode(s))
            {
                continue;
            }

            // An ideographic space is always dropped and never composes: it only forces the general path.
            Assert.Equal(TextNormalizer.Normalize(s + "\u3000"), TextNormalizer.Normalize(s));
            Assert.Equal(TextNormalizer.Nfkc(s), s.Normalize(System.Text.NormalizationForm.FormKC));
        }

        foreach (var email in new[] { "sato.misaki@example.jp", "Sato.Misaki@Example.JP", "ｓａｔｏ＠ｅｘａｍｐｌｅ．ｊｐ", "a+b_c-d@sub.example.co.jp" })
        {
            Assert.Equal((" " + email + " ").Trim().Normalize(System.Text.NormalizationForm.FormKC).ToLowerInvariant(), TextNormalizer.NormalizeEmail(email));
        }
    }
}
