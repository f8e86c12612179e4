using System.Text;
using System.Text.Json.Nodes;
using MisSend.Core.Detection;
using SG = SendGrid.Helpers.Mail;
using static MisSend.TestSupport.Corpus.Bodies;

namespace MisSend.TestSupport.Corpus;

/// <param name="Rule">For a leaky case, a rule that must be among the findings.</param>
public sealed record CorpusCase(string Name, string Expected, string Json, string? Rule = null)
{
    public bool Leaky => Expected == "halt";

    public override string ToString() => Name;
}

/// <summary>
/// Realistic and adversarial batches. Clean ones include what a naive detector would halt; leaky ones include what a
/// naive detector would miss. Many are built with the official SendGrid helpers, as real senders build them.
/// </summary>
public static class BatchCorpus
{
    private static readonly SG.EmailAddress From = new(FromEmail, FromName);

    public static readonly IReadOnlyList<CorpusCase> All = Build();

    public static CorpusCase Get(string name) => All.Single(c => c.Name == name);

    private static Dictionary<string, object> Data(Person p) => new()
    {
        ["name"] = p.Name,
        ["email"] = p.Email,
        ["member_no"] = p.MemberNo,
        ["seat"] = p.Seat,
        ["amount"] = p.Amount,
        ["due"] = Due,
    };

    private static SG.EmailAddress Sg(Person p, string? name = null) => new(p.Email, name ?? $"{p.Name} 様");

    private static List<CorpusCase> Build()
    {
        var cases = new List<CorpusCase>();
        void Clean(string name, string json) => cases.Add(new CorpusCase(name, "pass", json));
        void Leak(string name, string rule, string json) => cases.Add(new CorpusCase(name, "halt", json, rule));

        var people = JapanesePeople.Make(40, seed: 2027);
        var eight = people.Take(8).ToList();

        // ---------------------------------------------------------------- clean
        Clean("payment-guide-envelope", Envelope(Mail(PerRecipient(eight)), new JsonObject { ["language"] = "ja" }));

        {
            var twelve = people.Skip(8).Take(12).ToList();
            var msg = SG.MailHelper.CreateMultipleTemplateEmailsToMultipleRecipients(From, twelve.Select(p => Sg(p)).ToList(),
                "d-5f2c0c2e8b6a4a1e9d1c0a7b3e2f4a10", twelve.Select(p => (object)Data(p)).ToList());
            Clean("sendgrid-multiple-template-guides", msg.Serialize());
        }

        Clean("renewal-confirmation-per-subject-with-address",
            Json(Mail(PerRecipient(people.Take(15), address: true, subject: p => $"{p.Name}様 2027シーズンチケット 更新手続き完了のお知らせ"))));

        {
            // Everyone shares seat, price and date; five share the surname 佐藤.
            var same = people.Take(20).Select((p, i) => p with { Seat = "S指定席", Amount = "¥72,000", Sei = i % 4 == 0 ? "佐藤" : p.Sei }).ToList();
            Clean("shared-seat-price-date-surname", Json(Mail(same.Select(p => P(To(p), new JsonObject
            {
                ["sei"] = p.Sei, ["mei"] = p.Mei, ["seat"] = p.Seat, ["amount"] = p.Amount, ["match_date"] = "2027年2月27日(土)", ["kickoff"] = "14:00",
            })))));
        }

        {
            var house = people.Skip(20).Take(6).ToList();
            var shared = house[0];
            house[1] = house[1] with { Sei = shared.Sei, Address = shared.Address, PostalCode = shared.PostalCode };
            Clean("household-two-at-same-address", Json(Mail(PerRecipient(house, address: true,
                subject: p => $"{p.Name}様 お支払いのご案内（{p.Address}）"))));

            var three = people.Skip(26).Take(7).ToList();
            for (var i = 1; i < 3; i++)
            {
                three[i] = three[i] with { Sei = three[0].Sei, Address = three[0].Address, PostalCode = three[0].PostalCode, Phone = three[0].Phone };
            }

            Clean("household-three-at-same-address-and-phone", Json(Mail(PerRecipient(three, address: true,
                subject: p => $"〒{p.PostalCode} {p.Address} {p.Name}様"))));
        }

        Clean("internal-staff-in-cc-via-policy", Envelope(
            Mail(eight.Select(p => P(To(p), Guide(p), cc: [Addr("ops-check@club-ops.example.jp", "チケット担当 確認用")])).ToList()),
            new JsonObject { ["internalDomains"] = new JsonArray("club-ops.example.jp") }));

        Clean("sender-domain-audit-in-bcc",
            Json(Mail(eight.Select(p => P(To(p), Guide(p), bcc: [Addr($"archive@{ClubDomain}")])).ToList())));

        Clean("footer-helpdesk-email-phone-fax", Json(Mail(PerRecipient(eight), content:
        [
            ("text/html", "<p>{{name}} 様</p><p>お支払い期限までにお手続きください。</p><hr><p>シーズンチケット事務局（運営受託：チケットサポート株式会社）<br>" +
                "お問い合わせ: <a href=\"mailto:support@ticket-help.example.com\">support@ticket-help.example.com</a><br>" +
                "個人情報の取扱い: privacy@ticket-help.example.com<br>" +
                "TEL 048&#8211;123&#8211;4567 / FAX 048-123-4568 / フリーダイヤル 0120-123-456（平日10:00〜17:00）</p>"),
        ])));

        Clean("constant-inquiry-email-field", Json(Mail(eight.Select(p =>
        {
            var d = Guide(p);
            d["inquiry_email"] = "toiawase@ticket-desk.example.com";
            return P(To(p), d);
        }).ToList())));

        Clean("romanized-display-name-kanji-data", Json(Mail(eight.Select(p => P(To(p, p.Romaji), Guide(p, email: false))).ToList())));

        Clean("display-name-with-sama-variants", Json(Mail(eight.Select((p, i) =>
            P(To(p, i % 3 == 0 ? $"{p.Sei}{p.Mei}さま" : i % 3 == 1 ? $"{p.Sei}　{p.Mei}　様" : $"{p.Name} 殿"), Guide(p, email: false))).ToList())));

        Clean("fullwidth-email-in-data-own", Json(Mail(eight.Select(p =>
        {
            var d = Guide(p);
            d["email"] = JapanesePeople.FullWidth(p.Email);
            return P(To(p), d);
        }).ToList())));

        Clean("mixed-case-recipient-email", Json(Mail(eight.Select(p =>
            P(Addr(p.Email.ToUpperInvariant(), $"{p.Name} 様"), Guide(p))).ToList())));

        {
            var bcc = people.Take(40).Select(p => Addr(p.Email)).ToArray();
            Clean("newsletter-one-personalization-many-bcc", Json(Mail(
                [P(Addr($"fanclub@{ClubDomain}", "ファンクラブ事務局"), new JsonObject { ["issue"] = "2027年2月号", ["headline"] = "新体制発表会のお知らせ" }, bcc: bcc)],
                subject: "ファンクラブ会報 2027年2月号")));
        }

        {
            var msg = SG.MailHelper.CreateSingleTemplateEmailToMultipleRecipients(From, people.Take(25).Select(p => Sg(p)).ToList(),
                "d-fanclub-newsletter", new Dictionary<string, object> { ["issue"] = "vol.12", ["headline"] = "キャンプ情報", ["contact"] = $"fanclub@{ClubDomain}" });
            Clean("sendgrid-single-template-newsletter", msg.Serialize());
        }

        {
            var msg = SG.MailHelper.CreateSingleEmailToMultipleRecipients(From, people.Take(30).Select(p => Sg(p)).ToList(),
                "【重要】2/27(土) ホーム開幕戦 入場のご案内", "開門は11:00です。シーズンチケットをご用意ください。",
                "<p>開門は<b>11:00</b>です。</p><p>会場：埼玉スタジアム2002</p>", showAllRecipients: false);
            Clean("sendgrid-match-day-notice-hidden-recipients", msg.Serialize());
        }

        var fixtures = "節,日付,キックオフ,対戦相手,会場\n1,2027/02/27(土),14:00,鹿島アントラーズ,埼玉スタジアム2002\n2,2027/03/06(土),15:00,川崎フロンターレ,等々力陸上競技場\n" +
                       "3,2027/03/13(土),14:00,横浜F・マリノス,埼玉スタジアム2002\n4,2027/03/20(土),16:00,FC東京,味の素スタジアム\n";
        Clean("fixtures-csv-attachment-utf8", Json(Mail(PerRecipient(eight),
            attachments: [Attachment("2027_fixtures.csv", "text/csv", Encoding.UTF8.GetBytes(fixtures))])));
        Clean("fixtures-csv-attachment-shift-jis", Json(Mail(PerRecipient(eight),
            attachments: [Attachment("日程.csv", "text/csv", ShiftJis(fixtures))])));

        {
            var ten = people.Skip(10).Take(10).ToList();
            var msg = SG.MailHelper.CreateMultipleEmailsToMultipleRecipients(From, ten.Select(p => Sg(p)).ToList(),
                ten.Select(p => $"-name-様 シーズンチケット更新のご案内").ToList(),
                "-name- 様\n更新金額: -amount-\n会員番号: -member-", "<p>-name- 様</p><p>更新金額: -amount-</p>",
                ten.Select(p => new Dictionary<string, string> { ["-name-"] = p.Name, ["-amount-"] = p.Amount, ["-member-"] = p.MemberNo }).ToList());
            Clean("sendgrid-substitutions-renewal", msg.Serialize());
        }

        {
            // 佐藤 健 and 佐藤 健一 (and 田中 一 / 田中 一郎): one name is a prefix of another.
            var ps = people.Take(6).ToList();
            ps[0] = ps[0] with { Sei = "佐藤", Mei = "健" };
            ps[1] = ps[1] with { Sei = "佐藤", Mei = "健一" };
            ps[2] = ps[2] with { Sei = "田中", Mei = "一" };
            ps[3] = ps[3] with { Sei = "田中", Mei = "一郎" };
            Clean("name-prefix-of-another-name-in-subject",
                Json(Mail(PerRecipient(ps, email: false, subject: p => $"{p.Name}様 更新手続き完了のお知らせ"))));
        }

        {
            // The same, when the longer name is common (three holders are 佐藤 健一): a common name is no needle, but it
            // still shields the recipient's own subject line (found by the property test, seed 50LVsxsB4Vh1).
            var ps = people.Take(8).ToList();
            ps[0] = ps[0] with { Sei = "佐藤", Mei = "健" };
            for (var i = 1; i <= 3; i++)
            {
                ps[i] = ps[i] with { Sei = "佐藤", Mei = "健一" };
            }

            Clean("name-prefix-of-a-common-name-in-subject",
                Json(Mail(PerRecipient(ps, subject: p => $"{p.Name}様 お支払いのご案内"))));
        }

        Clean("fullwidth-digits-own-postal-and-phone", Json(Mail(eight.Select(p =>
        {
            var d = Guide(p, address: true);
            d["postal_code"] = "〒" + JapanesePeople.FullWidth(p.PostalCode).Replace('－', '−');
            d["tel"] = JapanesePeople.FullWidth(p.Phone).Replace("－", "ー");
            return P(To(p), d, subject: $"{p.Name}様（〒{p.PostalCode.Replace("-", "")}）お支払いのご案内");
        }).ToList())));

        Clean("single-personalization-own-data", Json(Mail([P(To(people[0]), Guide(people[0], address: true))])));

        Clean("envelope-chunk-2-of-3-with-policy", Envelope(Mail(PerRecipient(people.Skip(16).Take(8))), new JsonObject
        {
            ["personalFields"] = new JsonArray("seat", "amount"),
            ["subjectKeyField"] = "member_no",
            ["internalDomains"] = new JsonArray("@Club-Ops.example.jp"),
            ["contactEmail"] = $"privacy@{ClubDomain}",
        }, chunk: 2, chunkCount: 3));

        Clean("nested-template-data-with-arrays", Json(Mail(eight.Select(p => P(To(p), new JsonObject
        {
            ["customer"] = new JsonObject { ["name"] = p.Name, ["email"] = p.Email, ["member_no"] = p.MemberNo },
            ["tickets"] = new JsonArray(
                new JsonObject { ["match"] = "第1節 鹿島戦", ["seat"] = p.Seat, ["price"] = p.Amount },
                new JsonObject { ["match"] = "第3節 横浜FM戦", ["seat"] = p.Seat, ["price"] = p.Amount }),
            ["total"] = "¥" + (p.Id * 1000 + 50000).ToString("N0"),
        })).ToList())));

        Clean("binary-pdf-attachment-ignored", Json(Mail(PerRecipient(eight),
            attachments: [Attachment("stadium-map.pdf", "application/pdf", [0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x37, 0xFF, 0xFE, 0x00, 0x81])])));

        Clean("constant-office-phone-field", Json(Mail(eight.Select(p =>
        {
            var d = Guide(p);
            d["office_tel"] = "048-123-4567";
            d["office_fax"] = "048-123-4568";
            return P(To(p), d);
        }).ToList())));

        Clean("fan-club-newsletter-per-member", Json(Mail(people.Take(30).Select(p => P(To(p), new JsonObject
        {
            ["会員名"] = p.Name, ["会員番号"] = p.MemberNo, ["ランク"] = p.Id % 3 == 0 ? "ゴールド" : "レギュラー", ["ポイント"] = (p.Id * 37 % 500).ToString(),
        })).ToList(), subject: "ファンクラブ会報 2027年春号")));

        Clean("html-body-greets-recipient-only", Json(Mail(PerRecipient(eight), content:
        [
            ("text/plain", "{{name}} 様\n{{seat}} {{amount}}\nお支払い期限: 2027年1月15日"),
            ("text/html", "<p>{{name}} 様</p><table><tr><td>席種</td><td>{{seat}}</td></tr><tr><td>金額</td><td>{{amount}}</td></tr></table>"),
        ])));

        {
            var ps = people.Take(8).ToList();
            Clean("japanese-keys-template-data", Json(Mail(ps.Select(p => P(To(p), new JsonObject
            {
                ["氏名"] = p.Name, ["メールアドレス"] = p.Email, ["郵便番号"] = "〒" + p.PostalCode, ["住所"] = p.Address,
                ["電話番号"] = p.Phone, ["席種"] = p.Seat, ["請求金額"] = p.Amount, ["支払期限"] = Due,
            })).ToList())));
        }

        // ---------------------------------------------------------------- leaky
        {
            var thirty = people.Take(30).ToList();
            Leak("incident-replay-all-in-bcc", Rules.SharedPersonalData, Json(Mail(thirty.Select(p =>
                P(To(p), Guide(p), bcc: thirty.Where(o => o != p).Select(o => Addr(o.Email)).ToArray())).ToList())));
        }

        Leak("rows-shifted-name-only", Rules.WrongOwner, Json(Mail(eight.Select((p, i) =>
            P(To(p), Guide(eight[(i + 1) % eight.Count], email: false))).ToList())));

        Leak("rows-shifted-email", Rules.WrongOwner, Json(Mail(eight.Select((p, i) =>
            P(Addr(p.Email), Guide(eight[(i + 1) % eight.Count]))).ToList())));

        Leak("rows-shifted-single-row-only", Rules.WrongOwner, Json(Mail(eight.Select((p, i) =>
            P(To(p), Guide(i == 5 ? eight[6] : p, email: false))).ToList())));

        Leak("subject-names-another-customer", Rules.WrongOwner, Json(Mail(eight.Select((p, i) =>
            P(To(p), new JsonObject { ["seat"] = p.Seat, ["amount"] = p.Amount, ["member_no"] = p.MemberNo },
                subject: $"{eight[(i + 1) % eight.Count].Name}様 更新手続き完了のお知らせ")).ToList())));

        Leak("subject-names-another-member-number", Rules.WrongOwner, Json(Mail(eight.Select((p, i) =>
            P(To(p), Guide(p, email: false), subject: $"会員番号 {(i == 3 ? eight[4] : p).MemberNo} 更新のお知らせ")).ToList())));

        Leak("fullwidth-email-of-another-customer", Rules.WrongOwner, Json(Mail(eight.Select((p, i) =>
            P(Addr(p.Email), new JsonObject
            {
                ["email"] = JapanesePeople.FullWidth(eight[(i + 1) % eight.Count].Email), ["seat"] = p.Seat, ["amount"] = p.Amount,
            })).ToList())));

        Leak("html-roster-of-batch-pasted", Rules.ForeignDataInContent, Json(Mail(PerRecipient(eight), content:
        [
            ("text/html", "<p>{{name}} 様</p><p>お支払いのご案内です。</p><!-- 作業用 --><table>" +
                string.Concat(eight.Select(p => $"<tr><td>{p.Name}</td><td>{p.Email.Replace("@", "&#64;")}</td><td>{p.Amount}</td></tr>")) + "</table>"),
        ])));

        {
            var strangers = JapanesePeople.Make(5, seed: 99, firstId: 5000);
            Leak("html-roster-of-strangers", Rules.ForeignDataInContent, Json(Mail(PerRecipient(eight), content:
            [
                ("text/html", "<p>{{name}} 様</p><table>" + string.Concat(strangers.Select(p =>
                    $"<tr><td>{p.Name}</td><td>{p.Email}</td><td>{p.Phone}</td></tr>")) + "</table>"),
            ])));
        }

        Leak("shift-jis-csv-roster-attachment", Rules.ForeignDataInContent, Json(Mail(PerRecipient(eight),
            attachments: [Attachment("送付リスト.csv", "text/csv", ShiftJis(Roster(eight)))])));

        Leak("utf8-csv-roster-attachment-names-only", Rules.ForeignDataInContent, Json(Mail(PerRecipient(eight),
            attachments: [Attachment("list.csv", "text/csv", Encoding.UTF8.GetBytes("\uFEFF氏名,席種\n" + string.Concat(eight.Skip(2).Take(3).Select(p => $"{p.Name},{p.Seat}\n"))))])));

        Leak("fan-in-one-address-two-guides", Rules.FanIn, Json(Mail(eight.Select((p, i) =>
            P(i == 4 ? To(eight[3], "ご家族 様") : To(p), Guide(p, email: false))).ToList())));

        Leak("cc-another-customer", Rules.VisibleRecipients, Json(Mail(eight.Select((p, i) =>
            P(To(p), Guide(p), cc: i == 2 ? [To(eight[3])] : null)).ToList())));

        Leak("bcc-another-customer", Rules.SharedPersonalData, Json(Mail(eight.Select((p, i) =>
            P(To(p), Guide(p), bcc: i == 6 ? [Addr(eight[1].Email)] : null)).ToList())));

        {
            var msg = SG.MailHelper.CreateSingleEmailToMultipleRecipients(From, people.Take(30).Select(p => Sg(p)).ToList(),
                "【重要】2/27(土) ホーム開幕戦 入場のご案内", "開門は11:00です。", "<p>開門は11:00です。</p>", showAllRecipients: true);
            Leak("sendgrid-show-all-recipients", Rules.VisibleRecipients, msg.Serialize());
        }

        {
            var ten = people.Skip(10).Take(10).ToList();
            var msg = SG.MailHelper.CreateMultipleEmailsToMultipleRecipients(From, ten.Select(p => Sg(p)).ToList(),
                ten.Select(p => "シーズンチケット更新のご案内").ToList(),
                "-name- 様\n更新金額: -amount-", "<p>-name- 様</p>",
                ten.Select((p, i) => new Dictionary<string, string> { ["-name-"] = ten[(i + 1) % ten.Count].Name, ["-amount-"] = ten[(i + 1) % ten.Count].Amount }).ToList());
            Leak("sendgrid-substitutions-rows-shifted", Rules.WrongOwner, msg.Serialize());
        }

        {
            var twelve = people.Skip(8).Take(12).ToList();
            var msg = SG.MailHelper.CreateMultipleTemplateEmailsToMultipleRecipients(From, twelve.Select(p => new SG.EmailAddress(p.Email)).ToList(),
                "d-5f2c0c2e8b6a4a1e9d1c0a7b3e2f4a10", twelve.Select((p, i) => (object)Data(twelve[(i + 2) % twelve.Count])).ToList());
            Leak("sendgrid-multiple-template-shifted-by-two", Rules.WrongOwner, msg.Serialize());
        }

        Leak("nested-customer-data-shifted", Rules.WrongOwner, Json(Mail(eight.Select((p, i) => P(To(p), new JsonObject
        {
            ["customer"] = new JsonObject { ["name"] = eight[(i + 7) % 8].Name, ["member_no"] = eight[(i + 7) % 8].MemberNo },
            ["tickets"] = new JsonArray(new JsonObject { ["seat"] = p.Seat, ["price"] = p.Amount }),
        })).ToList())));

        Leak("internal-cc-plus-outside-cc", Rules.VisibleRecipients, Envelope(
            Mail(eight.Select((p, i) => P(To(p), Guide(p), cc: i == 0
                ? [Addr("ops-check@club-ops.example.jp"), Addr("family.member@example.jp", "家族")]
                : [Addr("ops-check@club-ops.example.jp")])).ToList()),
            new JsonObject { ["internalDomains"] = new JsonArray("club-ops.example.jp") }));

        Leak("shared-subject-names-a-customer", Rules.ForeignDataInContent, Json(Mail(PerRecipient(eight),
            subject: $"{eight[2].Name}様 お支払いのご案内")));

        Leak("shared-content-holds-one-address", Rules.ForeignDataInContent, Json(Mail(PerRecipient(eight, address: true), content:
        [
            ("text/plain", $"{{{{name}}}} 様\n送付先: 〒{eight[5].PostalCode} {eight[5].Address}\n"),
        ])));

        Leak("shared-content-holds-one-phone-fullwidth", Rules.ForeignDataInContent, Json(Mail(PerRecipient(eight, address: true), content:
        [
            ("text/plain", $"{{{{name}}}} 様\n至急連絡先: {JapanesePeople.FullWidth(eight[4].Phone).Replace("－", "ー")}\n"),
        ])));

        Leak("household-members-both-in-to", Rules.VisibleRecipients, Json(Mail(eight.Select((p, i) =>
        {
            var to = P(To(p), Guide(p, address: true));
            if (i == 1)
            {
                ((JsonArray)to["to"]!).Add(To(eight[2]));
            }

            return to;
        }).ToList())));

        Leak("envelope-rows-shifted-with-policy-subject-key", Rules.WrongOwner, Envelope(Mail(eight.Select((p, i) =>
            P(To(p), Guide(eight[(i + 1) % 8], email: false))).ToList()),
            new JsonObject { ["subjectKeyField"] = "member_no", ["language"] = "ja" }, jobId: "renewal-2027", chunk: 1, chunkCount: 2));

        Leak("single-personalization-guide-to-wrong-person", Rules.WrongOwner,
            Json(Mail([P(To(people[1]), Guide(people[0]))])));

        Leak("japanese-keys-rows-shifted", Rules.WrongOwner, Json(Mail(eight.Select((p, i) =>
        {
            var o = eight[(i + 1) % 8];
            return P(To(p), new JsonObject { ["お客様名"] = o.Name, ["電話番号"] = o.Phone, ["席種"] = o.Seat, ["請求金額"] = o.Amount });
        }).ToList())));

        return cases;
    }
}
