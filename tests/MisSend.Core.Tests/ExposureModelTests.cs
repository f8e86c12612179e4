using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MisSend.Core.Batches;
using MisSend.Core.Detection;
using MisSend.TestSupport.Corpus;
using static MisSend.TestSupport.Corpus.Bodies;

namespace MisSend.Core.Tests;

/// <summary>The exposure model's outputs that other parts read: deliveries, the cross-chunk judgement, the safe subject, categories as JSON, rule descriptors.</summary>
public sealed class ExposureModelTests
{
    private static readonly List<Person> People = JapanesePeople.Make(6, seed: 21);

    private static Verdict Scan(JsonObject mail, JsonObject? policy = null) =>
        LeakDetector.Scan(BatchParser.Parse(policy is null ? Json(mail) : Envelope(mail, policy)));

    [Fact]
    public void One_personalization_with_a_guardian_and_two_children_yields_one_delivery_per_person_with_the_relationship()
    {
        var p = People[0];
        var data = new JsonObject
        {
            ["guardian_name"] = p.Name,
            ["children"] = new JsonArray(
                new JsonObject { ["name"] = $"{p.Sei} 陽菜", ["class"] = "2-A" },
                new JsonObject { ["name"] = $"{p.Sei} 蓮", ["class"] = "4-B" }),
        };
        var verdict = Scan(Mail([P(To(p), data)], subject: "保護者面談のご案内"));

        Assert.Equal("pass", verdict.Decision);
        Assert.Equal(3, verdict.Deliveries.Count);
        Assert.All(verdict.Deliveries, d => Assert.False(d.Misdirected));
        Assert.Single(verdict.Deliveries, d => d.OwnerConfirmed && d.SubjectName == p.Name && d.Relationship is null);
        Assert.Equal(2, verdict.Deliveries.Count(d => d.Relationship == "guardian"));
        Assert.Contains(verdict.Deliveries, d => d.SubjectName == $"{p.Sei} 陽菜");
    }

    [Fact]
    public void A_personalization_listing_two_customers_yields_an_exposure_of_the_second()
    {
        var (a, b) = (People[0], People[1]);
        var orders = new JsonArray(
            new JsonObject { ["customer"] = a.Name, ["email"] = a.Email, ["order_no"] = "HM-880001" },
            new JsonObject { ["customer"] = b.Name, ["email"] = b.Email, ["order_no"] = "HM-880002" });
        var verdict = Scan(Mail([P(To(a), new JsonObject { ["orders"] = orders }), P(To(b), Guide(b))]));

        Assert.Equal("halt", verdict.Decision);
        var exposure = Assert.Single(verdict.Deliveries, d => d.Misdirected);
        Assert.Equal((a.Email, b.Email, "e:" + b.Email), (exposure.Recipient, exposure.SubjectEmail, exposure.SubjectKey));
        Assert.Contains(verdict.Findings, f => f.Rule == Rules.FanIn);
    }

    [Fact]
    public void Cross_chunk_fan_in_and_spread_halt_and_turn_the_earlier_assumed_delivery_into_an_exposure()
    {
        var (a, b) = (People[0], People[1]);
        // Chunk 1: b's address got a's data, without a display name: nothing in chunk 1 says it is wrong.
        var chunk1 = LeakDetector.Scan(BatchParser.Parse(Json(Mail([P(Addr(b.Email), Guide(a, email: false)), P(To(People[2]), Guide(People[2], email: false))]))));
        Assert.Equal("pass", chunk1.Decision);
        var earlier = chunk1.Deliveries.Select(d => ChunkDelivery.From(1, d)).ToList();

        // Chunk 2: a and b each get their own data, confirmed by display name.
        var chunk2 = LeakDetector.Scan(BatchParser.Parse(Json(Mail([P(To(a), Guide(a, email: false)), P(To(b), Guide(b, email: false))]))));
        var across = JobExposure.CheckAgainstEarlier(earlier, 2, chunk2);

        Assert.True(across.Halt);
        Assert.Contains(across.Findings, f => f.Rule == Rules.FanInAcrossChunks && f.Personalization == 1);
        Assert.Contains(across.Findings, f => f.Rule == Rules.SpreadAcrossChunks && f.Personalization == 0);
        var exposure = Assert.Single(across.Exposures);
        Assert.Equal((1, b.Email, true), (exposure.Chunk, exposure.Recipient, exposure.Misdirected));
        Assert.Equal(a.Email, exposure.SubjectEmail);
    }

    [Fact]
    public void Cross_chunk_repeats_of_the_same_mail_guardians_and_shared_mailboxes_are_no_conflict()
    {
        var (a, b) = (People[0], People[1]);
        var mail = Mail([P(To(a), Guide(a)), P(To(b), Guide(b))]);
        var first = LeakDetector.Scan(BatchParser.Parse(Json(mail)));
        var again = JobExposure.CheckAgainstEarlier(first.Deliveries.Select(d => ChunkDelivery.From(1, d)).ToList(), 2, first);
        Assert.False(again.Halt);

        var related = new ChunkDelivery(1, 0, a.Email, "n:other-child", null, [DataCategory.Name], OwnerConfirmed: false, Misdirected: false, Relationship: "guardian");
        Assert.False(JobExposure.CheckAgainstEarlier([related], 2, first).Halt);

        var sameChunk = new ChunkDelivery(2, 0, a.Email, "n:someone", null, [DataCategory.Name], OwnerConfirmed: false, Misdirected: false);
        Assert.False(JobExposure.CheckAgainstEarlier([sameChunk], 2, first).Halt);
    }

    [Fact]
    public void The_safe_subject_names_the_mail_without_anyones_data()
    {
        var p = People[3];
        var verdict = Scan(Mail([P(To(p), Guide(p), subject: $"{p.Name}様（会員番号 {p.MemberNo}）\r\n 2027シーズン お支払いのご案内 {p.Email}")]));
        Assert.Equal("…様（会員番号 …） 2027シーズン お支払いのご案内 …", verdict.SafeSubject);

        var shared = Scan(Mail([P(To(p), Guide(p))], subject: "2027シーズンチケット お支払いのご案内"));
        Assert.Equal("2027シーズンチケット お支払いのご案内", shared.SafeSubject);
        Assert.Null(Scan(Mail([P(To(p), Guide(p))], subject: null)).SafeSubject);
    }

    [Fact]
    public void Data_categories_serialize_as_stable_ids_and_read_old_enum_names()
    {
        var json = JsonSerializer.Serialize(new[] { DataCategory.MemberId, DataCategory.CardNumber, DataCategory.Health });
        Assert.Equal("""["member-id","card-number","health"]""", json);
        Assert.Equal([DataCategory.MemberId, DataCategory.BirthDate], JsonSerializer.Deserialize<DataCategory[]>("""["MemberId","birth-date"]"""));
        Assert.Equal([DataCategory.Phone, DataCategory.Health], JsonSerializer.Deserialize<DataCategory[]>("[4, 11]"));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DataCategory[]>("""["3"]"""));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DataCategory[]>("[99]"));
        Assert.All(Enum.GetValues<DataCategory>(), c => Assert.Equal(c, DataCategoryNames.FromId(c.Id())));
        var finding = JsonSerializer.Serialize(new Finding(Rules.WrongOwner, 1, [DataCategory.PostalCode], 1, "d"));
        Assert.Contains("\"postal-code\"", finding);
    }

    [Fact]
    public void Every_rule_has_one_descriptor_in_the_catalog()
    {
        var ids = RuleCatalog.All.Select(d => d.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(LeakDetector.AllRules, r => Assert.Same(r.Descriptor, RuleCatalog.Get(r.Descriptor.Id)));
        var constants = typeof(Rules).GetFields().Select(f => (string)f.GetValue(null)!).ToList();
        Assert.Equal(constants.Order(), ids.Order());
        Assert.All(RuleCatalog.All, d => Assert.True(d.TitleJa.Length > 0 && d.CauseJa.Length > 0 && d.TitleEn.Length > 0 && d.CauseEn.Length > 0));
        Assert.Equal("fan-in-across-chunks", RuleCatalog.Get(Rules.FanInAcrossChunks).Id);
        Assert.Equal("retired-rule", RuleCatalog.Get("retired-rule").Id);
    }

    [Fact]
    public void A_batch_over_sendgrids_limits_is_scanned_and_halted_with_its_leak_and_the_limit()
    {
        var people = JapanesePeople.Make(1001, seed: 22);
        var copied = Guide(people[0]);
        var verdict = Scan(Mail(people.Select(p => P(Addr(p.Email), copied.DeepClone().AsObject()))));
        Assert.Contains(verdict.Findings, f => f.Rule == Rules.OverSendGridLimits);
        Assert.Contains(verdict.Findings, f => f.Rule == Rules.SharedPersonalData);

        var clean = Scan(Mail(people.Select(p => P(To(p), Guide(p)))));
        Assert.Equal([Rules.OverSendGridLimits], clean.Findings.Select(f => f.Rule));
    }

    [Fact]
    public void Declared_relationships_make_a_role_the_key_names_alone_do_not_reveal()
    {
        var (parent, other) = (People[0], People[1]);
        // A swimming school's mail to a parent about the child taking part: "participant" names no role by itself.
        var data = new JsonObject { ["participant"] = new JsonObject { ["name"] = $"{parent.Sei} 結衣", ["birth_date"] = "2018-04-02" }, ["course"] = "初級" };
        var undeclared = Scan(Mail([P(To(parent), data), P(To(other), Guide(other))]));
        Assert.Equal("halt", undeclared.Decision);

        var declared = Scan(Mail([P(To(parent), data.DeepClone().AsObject()), P(To(other), Guide(other))]),
            new JsonObject { ["relationships"] = new JsonObject { ["participant"] = "dependant" } });
        Assert.Equal("pass", declared.Decision);
        Assert.Contains(declared.Deliveries, d => d.Relationship == "guardian");
    }

    [Fact]
    public void Reply_to_list_and_headers_are_read()
    {
        var (a, b) = (People[0], People[1]);
        var mail = Mail([P(To(a), Guide(a)), P(To(b), Guide(b))]);
        mail["reply_to_list"] = new JsonArray(Addr("support@reds-seasonticket.example.jp"), Addr(b.Email));
        var verdict = Scan(mail);
        Assert.Contains(verdict.Findings, f => f.Rule == Rules.ExposedSenderField);

        var header = Mail([P(To(a), Guide(a)), P(To(b), Guide(b))]);
        header["personalizations"]![0]!["headers"] = new JsonObject { ["X-Member"] = b.MemberNo };
        Assert.Contains(Scan(header).Findings, f => f.Rule == Rules.WrongOwner && f.Personalization == 0);
    }

    [Fact]
    public void Utf16_attachments_with_and_without_bom_are_read()
    {
        const string csv = "氏名,電話\n佐藤 美咲,090-1234-5678\n";
        var mail = BatchParser.Parse(Json(Mail(PerRecipient(People.Take(2)), attachments:
        [
            Attachment("le-bom.csv", "text/csv", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(csv)]),
            Attachment("le.csv", "text/csv", Encoding.Unicode.GetBytes(csv)),
            Attachment("be-bom.csv", "text/csv", [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(csv)]),
            Attachment("be.csv", "text/csv", Encoding.BigEndianUnicode.GetBytes(csv)),
        ]))).Mail;
        Assert.All(mail.Attachments, a => Assert.Equal(csv, a.Text));
    }

    [Fact]
    public void A_second_parent_in_cc_of_a_pupils_report_is_family_and_a_stranger_is_not()
    {
        var (parent, other) = (People[0], People[1]);
        JsonObject Report() => new() { ["保護者氏名"] = parent.Name, ["生徒氏名"] = $"{parent.Sei} 陽菜", ["数学"] = "86" };
        var family = Scan(Mail([P(To(parent), Report(), cc: [Addr("papa.kazoku@example.jp", $"{parent.Sei} 誠")]), P(To(other), Guide(other))]));
        Assert.Equal("pass", family.Decision);

        var stranger = Scan(Mail([P(To(parent), Report(), cc: [Addr("someone@example.jp", "高木 誠")]), P(To(other), Guide(other))]));
        Assert.Equal("halt", stranger.Decision);
        Assert.Contains(stranger.Findings, f => f.Rule == Rules.VisibleRecipients);
        var exposed = Assert.Single(stranger.Deliveries, d => d.Recipient == "someone@example.jp" && d.SubjectName == parent.Name);
        Assert.True(exposed.Misdirected);
        Assert.Null(exposed.Relationship);
        Assert.Contains(DataCategory.Name, exposed.Categories);
    }

    [Fact]
    public void A_kana_reading_ties_a_kanji_name_to_a_romanized_address_so_a_shift_shows_without_display_names()
    {
        var people = MisSend.TestSupport.Corpus.Wild.Humans.Make("ja", 6, seed: 31);
        JsonObject Row(MisSend.TestSupport.Corpus.Wild.Human h) => new() { ["氏名"] = h.FullName, ["フリガナ"] = h.Kana, ["会員番号"] = h.CustomerNo };

        var correct = Scan(Mail(people.Select(p => P(Addr(p.Email), Row(p)))));
        Assert.Equal("pass", correct.Decision);
        Assert.All(correct.Deliveries, d => Assert.True(d.OwnerConfirmed));

        var shifted = Scan(Mail(people.Select((p, i) => P(Addr(p.Email), Row(people[(i + 1) % people.Count])))));
        Assert.Equal("halt", shifted.Decision);
        Assert.Equal(people.Count, shifted.Findings.Count(f => f.Rule == Rules.WrongOwner));
    }

    [Theory]
    [InlineData("サトウ", "satou", "sato")]
    [InlineData("ユウト", "yuuto", "yuto")]
    [InlineData("ショウタ", "shouta", "shota")]
    [InlineData("ケンイチ", "kenichi", "kenichi")]
    [InlineData("はっとり", "hattori", "hattori")]
    public void Kana_readings_in_hepburn(string kana, string romaji, string shortForm)
    {
        Assert.Equal(romaji, MisSend.Core.Detection.Recognizers.KanaRomaji.ToRomaji(kana));
        Assert.Equal(shortForm, MisSend.Core.Detection.Recognizers.KanaRomaji.DropLongVowels(romaji));
    }
}
