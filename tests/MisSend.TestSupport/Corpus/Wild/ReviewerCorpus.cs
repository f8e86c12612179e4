using SG = SendGrid.Helpers.Mail;
using static MisSend.TestSupport.Corpus.Wild.Kit;

namespace MisSend.TestSupport.Corpus.Wild;

/// <summary>
/// Sends a careful reviewer judges by asking who sees whose data, in the shapes a first blind test set showed the detector
/// misreading: delivery slots, namesakes, an earlier customer in reply_to, holder and reading keys, the sender's own
/// people in nested merge data, co-owners and own work copies, an invoice's contact, a family's passenger list, airline
/// and Hangul names, public figures. Each class has a clean send and a leaky one, in industries and languages of its own.
/// </summary>
public static class ReviewerCorpus
{
    public static IReadOnlyList<LabelledBatch> All { get; } = Build();

    internal sealed record Row(SG.EmailAddress[] To, object Data, SG.EmailAddress[]? Cc = null);

    internal static SG.EmailAddress A(string email, string? name = null) => new(email, name);

    internal static Dictionary<string, object> D(params (string Key, object Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value);

    internal static string Send(SG.EmailAddress from, string subject, IReadOnlyList<Row> rows, SG.EmailAddress? replyTo = null, string? content = null)
    {
        var msg = new SG.SendGridMessage();
        msg.SetFrom(from);
        msg.SetGlobalSubject(subject);
        msg.SetTemplateId("d-" + Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(subject))));
        if (replyTo is not null)
        {
            msg.SetReplyTo(replyTo);
        }

        if (content is not null)
        {
            msg.AddContent("text/html", content);
        }

        for (var i = 0; i < rows.Count; i++)
        {
            msg.AddTos([.. rows[i].To], i);
            if (rows[i].Cc is { } cc)
            {
                msg.AddCcs([.. cc], i);
            }

            msg.SetTemplateData(rows[i].Data, i);
        }

        return Json(msg);
    }

    /// <summary>The same people with every data row moved to the next recipient: the merge loop off by one.</summary>
    internal static List<Row> Shifted(IReadOnlyList<Row> rows) => [.. rows.Select((r, i) => r with { Data = rows[(i + 1) % rows.Count].Data })];

    private static List<LabelledBatch> Build()
    {
        var list = new List<LabelledBatch>();
        void Add(string file, string label, string reason, string industry, string lang, string shape, string json) =>
            list.Add(new LabelledBatch($"reviewer/{label}-{file}.json", label, reason, industry, lang, shape, HeldOut: false, json));

        // ------------------------------------------------------------ a delivery slot is nobody's number (ja, grocery)
        {
            var from = A("order@yasai-bin.example.jp", "やさい便");
            var slots = new[] { "6月3日 18時〜20時", "6月3日 午前中", "6月4日 14時〜16時" };
            (string Name, string Email, string Address)[] buyers =
            [
                ("小松 恵", "komatsu.megumi@ezweb.ne.jp", "〒183-0022 東京都府中市宮西町2-5-1"),
                ("大塚 伸也", "s.otsuka@example.ne.jp", "〒２１２－００１３ 神奈川県川崎市幸区堀川町５８０"),
                ("荒井 美紀", "miki-arai@docomo.ne.jp", "〒330-0846 埼玉県さいたま市大宮区大門町1-12"),
                ("杉山 和也", "kazuya.sugiyama@example.jp", "〒460-0008 愛知県名古屋市中区栄3-4-5"),
                ("望月 彩乃", "ayano.m@softbank.ne.jp", "〒420-0031 静岡県静岡市葵区呉服町2-3"),
                ("森田 達也", "t.morita@example.co.jp", "〒604-8005 京都府京都市中京区河原町通三条上る"),
            ];
            var rows = buyers.Select((b, i) => new Row([A(b.Email, b.Name)], D(
                ("お届け予定", slots[i % slots.Length]),
                ("お届け先", D(("お名前", b.Name), ("ご住所", b.Address))), ("センター", D(("名称", "やさい便 多摩センター"), ("電話", "0120-38-8310")))))).ToList();
            Add("ja-grocery-delivery-slots-shared", "pass", "several buyers share a delivery slot (6月3日 18時〜20時), which identifies none of them", "grocery", "ja",
                "dtd,native-keys,display", Send(from, "お届け予定のお知らせ", rows));
            Add("ja-grocery-first-notice-to-everyone", "halt", "the first buyer's delivery notice, with her name and address, went to every buyer", "grocery", "ja",
                "dtd,native-keys,display", Send(from, "お届け予定のお知らせ", [.. rows.Select(r => r with { Data = rows[0].Data })]));
        }

        // ------------------------------------------------------------ namesakes at two addresses (de, energy)
        {
            var from = A("abrechnung@stadtwerke-lahn.example.de", "Stadtwerke Lahn");
            (string Name, string Email, string Street, string Tariff)[] customers =
            [
                ("Thomas Müller", "t.mueller@web.de", "Bahnhofstraße 12, 35390 Gießen", "LahnStrom Basis"),
                ("Sabine Krause", "sabine.krause@gmx.de", "Frankfurter Straße 3, 35392 Gießen", "LahnStrom Öko"),
                ("Thomas Müller", "tm.wettenberg@t-online.de", "Am Anger 7, 35435 Wettenberg", "LahnStrom Basis"),
                ("Jan Becker", "jan.becker@example.de", "Marburger Straße 44, 35390 Gießen", "LahnStrom Öko"),
                ("Petra Schulz", "p.schulz@gmail.com", "Lindenweg 2, 35398 Gießen", "LahnStrom Basis"),
            ];
            // The second Thomas Müller's address book entry has no display name: only his own address says the bill is his.
            var rows = customers.Select((c, i) => new Row([A(c.Email, i == 2 ? null : c.Name)], D(("Kunde", c.Name), ("Lieferanschrift", c.Street), ("Tarif", c.Tariff),
                ("Abschlag", "84,00 €")))).ToList();
            Add("de-energy-namesakes-two-addresses", "pass", "two customers called Thomas Müller live at two addresses; each gets his own bill", "utility", "de",
                "dtd,native-keys,display,no-display", Send(from, "Ihre Jahresabrechnung", rows));
            Add("de-energy-first-bill-to-everyone", "halt", "the first Thomas Müller's bill and address went to every customer", "utility", "de",
                "dtd,native-keys,display", Send(from, "Ihre Jahresabrechnung", [.. rows.Select(r => r with { Data = rows[0].Data })]));
        }

        // ------------------------------------------------------------ an outside person in reply_to (en, language school)
        {
            var from = A("office@harbour-english.example.co.uk", "Harbour English School");
            (string Name, string Email)[] students =
            [
                ("Aiko Fujii", "aiko.fujii@gmail.com"), ("Lucas Moreau", "lucas.moreau@outlook.com"), ("Mina Park", "minapark@yahoo.com"),
                ("Diego Alvarez", "d.alvarez@example.es"), ("Hana Novak", "hana.novak@seznam.example.cz"),
            ];
            var rows = students.Select((s, i) => new Row([A(s.Email, s.Name)], D(("student", s.Name), ("course", "Cambridge B2 evening"), ("room", "3")))).ToList();
            Add("en-school-reply-to-former-student", "halt", "reply_to is a former student's own Gmail under her name, so every student sees it and replies go to her",
                "school", "en", "dtd,en-keys,display", Send(from, "Your timetable for the summer term", rows, replyTo: A("grace.whitfield88@gmail.com", "Grace Whitfield")));
            Add("en-school-reply-to-teacher", "pass", "reply_to is the course teacher's mailbox at the school", "school", "en", "dtd,en-keys,display",
                Send(from, "Your timetable for the summer term", rows, replyTo: A("j.holloway@harbour-english.example.co.uk", "James Holloway")));
            Add("en-school-reply-to-outsourced-desk", "pass", "reply_to is the outsourced help desk's shared mailbox", "school", "en", "dtd,en-keys,display",
                Send(from, "Your timetable for the summer term", rows, replyTo: A("helpdesk@campus-services.example.com", "Campus Services")));
        }

        // ------------------------------------------------------------ holder keys: the account holder is a person (fr, sports club)
        {
            var from = A("tresorerie@as-lyon-nord.example.fr", "AS Lyon Nord");
            (string Name, string Email, string Iban)[] members =
            [
                ("Camille Girard", "camille.girard@orange.fr", "FR7630006000011234567890189"),
                ("Hugo Lambert", "hugo.lambert@free.fr", "FR7630004000031234567890143"),
                ("Léa Fontaine", "lea.fontaine@gmail.com", "FR1420041010050500013M02606"),
                ("Nathan Roux", "nathan.roux@laposte.net", "FR7610107001011234567890129"),
            ];
            var rows = members.Select((m, i) => new Row([A(m.Email, m.Name)], D(("prenom", m.Name.Split(' ')[0]),
                ("prelevement", D(("titulaire_du_compte", m.Name), ("iban", m.Iban), ("reference_mandat", $"ASLN-{2026}-{311 + i}"), ("montant", "45,00 €")))))).ToList();
            Add("fr-club-direct-debit-own-account", "pass", "each member sees the direct debit from their own account", "club", "fr", "dtd,native-keys,display",
                Send(from, "Avis de prélèvement", rows));
            Add("fr-club-direct-debit-holder-shifted", "halt", "each member is greeted by name but shown the next member's account holder, IBAN and mandate",
                "club", "fr", "dtd,native-keys,display", Send(from, "Avis de prélèvement", [.. rows.Select((r, i) => r with
                {
                    Data = D(("prenom", members[i].Name.Split(' ')[0]), ("prelevement", ((Dictionary<string, object>)rows[(i + 1) % rows.Count].Data)["prelevement"])),
                })]));
        }

        // ------------------------------------------------------------ a name's reading ties an address to its owner (ja, clinic, substitutions)
        {
            (string Name, string Kana, string Email)[] patients =
            [
                ("石田 直人", "イシダ ナオト", "naoto.ishida@gmail.com"), ("平田 由紀", "ヒラタ ユキ", "yuki.hirata@icloud.com"),
                ("水野 健", "ミズノ ケン", "ken.mizuno@yahoo.co.jp"), ("久保 さおり", "クボ サオリ", "saori.kubo@outlook.jp"),
            ];
            string Build(Func<int, int> rowOf)
            {
                var msg = new SG.SendGridMessage();
                msg.SetFrom(A("uketsuke@hirata-ganka.example.jp", "ひらた眼科"));
                msg.SetGlobalSubject("検査結果のご案内");
                msg.AddContent("text/html", "<p>-patientName-（-patientKana-）様</p><p>次回のご予約：-next-</p>");
                for (var i = 0; i < patients.Length; i++)
                {
                    var p = patients[rowOf(i)];
                    msg.AddTo(A(patients[i].Email), i);
                    msg.AddSubstitutions(new Dictionary<string, string> { ["-patientName-"] = p.Name, ["-patientKana-"] = p.Kana, ["-next-"] = "7月1日 10:00" }, i);
                }

                return Json(msg);
            }

            Add("ja-eye-clinic-kana-own-rows", "pass", "each patient, addressed by a romanised address only, gets their own result notice", "clinic", "ja", "subs,en-keys,no-display",
                Build(i => i));
            Add("ja-eye-clinic-kana-rows-shifted", "halt", "each patient gets the next patient's name and reading; the reading spells another recipient's address",
                "clinic", "ja", "subs,en-keys,no-display", Build(i => (i + 1) % patients.Length));
        }

        // ------------------------------------------------------------ the sender's own people in nested data (en, training)
        {
            var from = A("courses@northgate-training.example.com", "Northgate Training");
            (string Name, string Email)[] trainees = [("Olivia Grant", "olivia.grant@gmail.com"), ("Samuel Okoro", "sam.okoro@outlook.com"),
                ("Priya Nair", "priya.nair@yahoo.com"), ("Tom Becker", "tbecker@example.org")];
            var instructor = D(("name", "Rebecca Lyons"), ("phone", "+44 20 7946 0321"));
            var rows = trainees.Select(t => new Row([A(t.Email, t.Name)], D(("name", t.Name), ("course", "First Aid at Work"), ("instructor", instructor)))).ToList();
            Add("en-training-instructor-in-every-mail", "pass", "every trainee is told the same instructor's name and office number: the sender's own staff",
                "training", "en", "dtd,en-keys,display", Send(from, "Your course joining details", rows));
            var payer = D(("account_holder", D(("name", "Olivia Grant"), ("iban", "GB33BUKB20201555555555"))));
            Add("en-training-payer-copied-to-all", "halt", "every trainee is shown the first trainee's name and bank account as the payer", "training", "en",
                "dtd,en-keys,display", Send(from, "Your course joining details", [.. trainees.Select(t => new Row([A(t.Email, t.Name)],
                    D(("name", t.Name), ("course", "First Aid at Work"), ("payment", payer))))]));
        }

        // ------------------------------------------------------------ the mail's own party in To/Cc (de, bank; en, events)
        {
            var from = A("service@sparkasse-taunus.example.de", "Sparkasse Taunus");
            (string A1, string E1, string A2, string E2)[] couples =
            [
                ("Anna Weber", "anna.weber@gmx.de", "Jonas Weber", "jonas.weber@web.de"),
                ("Maria Schmitt", "maria.schmitt@t-online.de", "Peter Schmitt", "p.schmitt@gmail.com"),
                ("Laura Hoffmann", "l.hoffmann@example.de", "Felix Hoffmann", "felix.hoffmann@gmx.de"),
            ];
            var rows = couples.Select((c, i) => new Row([A(c.E1, c.A1), A(c.E2, c.A2)], D(("Kontoinhaber", $"{c.A1} und {c.A2}"),
                ("Kontonummer", $"GK-{88120 + i}"), ("Saldo", "2.431,18 €")))).ToList();
            Add("de-bank-joint-account-both-holders-in-to", "pass", "both holders of a joint account, named together in the statement, are in To of that account's mail",
                "bank", "de", "dtd,native-keys,display", Send(from, "Ihr Kontoauszug", rows));
            var wrong = rows.ToList();
            wrong[1] = wrong[1] with { To = [A(couples[1].E1, couples[1].A1), A("k.vogel@gmail.com", "Karin Vogel")] };
            Add("de-bank-joint-account-stranger-in-to", "halt", "a customer of another family is in To of a joint account's statement", "bank", "de",
                "dtd,native-keys,display", Send(from, "Ihr Kontoauszug", wrong));

            var events = A("tickets@riverside-arena.example.com", "Riverside Arena");
            (string Name, string Home, string Work)[] fans = [("Nora Fielding", "nora.fielding@gmail.com", "n.fielding@acorn-legal.example.com"),
                ("Ben Castillo", "bencastillo@yahoo.com", "ben.castillo@brightwave.example.com"), ("Ella Marsh", "ella.marsh@outlook.com", "emarsh@harlow-design.example.com")];
            Add("en-events-copy-to-own-work-address", "pass", "each ticket holder asked for a copy at their own work address, under their own name", "tickets", "en",
                "dtd,en-keys,display", Send(events, "Your tickets", [.. fans.Select((f, i) => new Row([A(f.Home, f.Name)], D(("holder", f.Name), ("order", $"RA-{7120 + i}")),
                    [A(f.Work, f.Name)]))]));
            Add("en-events-copy-to-another-holder", "halt", "one holder's tickets were copied to another holder's work address", "tickets", "en", "dtd,en-keys,display",
                Send(events, "Your tickets", [.. fans.Select((f, i) => new Row([A(f.Home, f.Name)], D(("holder", f.Name), ("order", $"RA-{7120 + i}")),
                    [A(fans[(i + 1) % fans.Length].Work, fans[(i + 1) % fans.Length].Name)]))]));
        }

        // ------------------------------------------------------------ an invoice's contact and colleagues (fr, B2B)
        {
            var from = A("facturation@logiciel-alpin.example.fr", "Logiciel Alpin");
            (string Company, string Domain, string Contact, string Local, string Colleague)[] clients =
            [
                ("Boulangeries Martin SARL", "boulangeries-martin.example.fr", "Julie Martin", "julie.martin", "comptabilite"),
                ("Transports Dufour", "transports-dufour.example.fr", "Marc Dufour", "m.dufour", "paul.renaud"),
                ("Cabinet Perrin Avocats", "perrin-avocats.example.fr", "Claire Perrin", "cperrin", "secretariat"),
            ];
            Row RowOf(int i, int dataOf)
            {
                var c = clients[i];
                var d = clients[dataOf];
                return new Row([A($"{c.Local}@{c.Domain}", c.Contact)], D(("societe", D(("raison_sociale", d.Company))), ("contact_facturation", d.Contact),
                    ("facture", D(("numero", $"FA-2026-{510 + dataOf}"), ("montant", "1 240,00 €")))), [A($"{c.Colleague}@{c.Domain}")]);
            }

            Add("fr-b2b-invoice-colleague-in-cc", "pass", "each client's invoice goes to its billing contact with a colleague of the same company in cc", "b2b", "fr",
                "dtd,native-keys,display", Send(from, "Votre facture de juin", [.. clients.Select((_, i) => RowOf(i, i))]));
            Add("fr-b2b-invoice-next-clients-contact", "halt", "each client receives the next client's invoice, naming that company's billing contact", "b2b", "fr",
                "dtd,native-keys,display", Send(from, "Votre facture de juin", [.. clients.Select((_, i) => RowOf(i, (i + 1) % clients.Length))]));
        }

        // ------------------------------------------------------------ a family's passenger list (en, ferry)
        {
            var from = A("bookings@islandferries.example.co.nz", "Island Ferries");
            (string Booker, string Email, string[] Family)[] bookings =
            [
                ("Sarah Whitaker", "sarah.whitaker@xtra.co.nz", ["Sarah Whitaker", "Daniel Whitaker", "Maisie Whitaker"]),
                ("Rangi Parata", "rangi.parata@gmail.com", ["Rangi Parata", "Aroha Parata"]),
                ("Mei Chen", "mei.chen@outlook.com", ["Mei Chen", "Wei Chen", "Lily Chen", "Jack Chen"]),
            ];
            object Data(int i, string[] passengers) => D(("booking_ref", $"IF{30417 + i}"), ("lead_passenger", bookings[i].Booker),
                ("passengers", passengers.Select(p => D(("name", p), ("fare", "adult"))).ToArray()));
            Add("en-ferry-family-passengers", "pass", "each booker sees the passenger list of their own family", "travel", "en", "dtd,en-keys,display",
                Send(from, "Your sailing is confirmed", [.. bookings.Select((b, i) => new Row([A(b.Email, b.Booker)], Data(i, b.Family)))]));
            Add("en-ferry-other-family-on-the-list", "halt", "one booking's passenger list includes a family from another booking", "travel", "en", "dtd,en-keys,display",
                Send(from, "Your sailing is confirmed", [.. bookings.Select((b, i) => new Row([A(b.Email, b.Booker)],
                    Data(i, i == 1 ? [.. b.Family, .. bookings[2].Family] : b.Family)))]));
        }

        // ------------------------------------------------------------ airline names, SURNAME/GIVEN (en, airline)
        {
            var from = A("checkin@southern-cross-air.example.com", "Southern Cross Air");
            (string Display, string Airline, string Email)[] pax = [("John Miller", "MILLER/JOHN MR", "j.miller@bigpond.example.com"),
                ("Akane Sato", "SATO/AKANE MS", "akane.sato@gmail.com"), ("Oliver Brown", "BROWN/OLIVER MR", "oliver.brown@outlook.com"),
                ("Ruby Singh", "SINGH/RUBY MRS", "rubysingh@yahoo.com")];
            Row RowOf(int i, int dataOf) => new([A(pax[i].Email, pax[i].Display)], D(("passenger", pax[dataOf].Airline), ("seat", $"{12 + dataOf}C"),
                ("flight", "SX 118 SYD-AKL")));
            Add("en-airline-boarding-pass-own", "pass", "each passenger gets their own boarding pass", "airline", "en", "dtd,en-keys,display",
                Send(from, "Your boarding pass", [.. pax.Select((_, i) => RowOf(i, i))]));
            Add("en-airline-boarding-pass-shifted", "halt", "each passenger gets the next passenger's boarding pass (printed SURNAME/GIVEN)", "airline", "en",
                "dtd,en-keys,display", Send(from, "Your boarding pass", [.. pax.Select((_, i) => RowOf(i, (i + 1) % pax.Length))]));
        }

        // ------------------------------------------------------------ Hangul names and Korean keys (ko, pharmacy)
        {
            var from = A("rx@sarang-pharmacy.example.kr", "사랑약국");
            (string Name, string Email, string Birth)[] patients = [("김민준", "minjun.kim@naver.example.com", "1979-02-11"),
                ("이서연", "seoyeon.lee@gmail.com", "1991-07-30"), ("박지훈", "jihoon.park@daum.example.net", "1985-12-03"),
                ("최수아", "sua.choi@kakao.example.com", "2001-05-19")];
            Row RowOf(int i, int dataOf) => new([A(patients[i].Email, patients[i].Name)], D(("환자명", patients[dataOf].Name),
                ("생년월일", patients[dataOf].Birth), ("처방번호", $"RX-{55010 + dataOf}"), ("수령일", "2026-06-02")));
            Add("ko-pharmacy-own-prescription", "pass", "each patient is told their own prescription is ready", "pharmacy", "ko", "dtd,native-keys,display",
                Send(from, "처방약 준비 완료 안내", [.. patients.Select((_, i) => RowOf(i, i))]));
            Add("ko-pharmacy-first-patient-to-all", "halt", "every patient is sent the first patient's name, birth date and prescription number", "pharmacy", "ko",
                "dtd,native-keys,display", Send(from, "처방약 준비 완료 안내", [.. patients.Select((_, i) => RowOf(i, 0))]));
        }

        // ------------------------------------------------------------ public figures and namesakes (ja, basketball club newsletter)
        {
            var from = A("news@hokuto-bb.example.jp", "北斗ブレイズ");
            string[] members = ["河野 拓海", "川口 陽子", "河野 拓海", "小野寺 誠", "吉岡 真央", "大西 亮"];
            string[] emails = ["takumi.kono@gmail.com", "yoko.kawaguchi@example.ne.jp", "kono_t22@ezweb.ne.jp", "m.onodera@docomo.ne.jp",
                "mao.yoshioka@icloud.com", "ryo.onishi@example.jp"];
            var body = "<p>{{name}} 様</p>\n<p>今節のMVPは 小野寺 誠 選手でした。</p>\n<p>ゲームキャプテンは 大西 亮 キャプテンが務めました。</p>\n<p>次節は6月14日（土）18:05 ティップオフです。</p>";
            Add("ja-club-newsletter-players-and-namesakes", "pass", "the newsletter names two players by their titles, and two members who share a name each get their own greeting",
                "tickets", "ja", "dtd,en-keys,no-display", Send(from, "ブレイズ通信 6月号", [.. members.Select((m, i) => new Row([A(emails[i])], D(("name", m))))], content: body));
            Add("ja-club-newsletter-member-name-copied", "halt", "every member is greeted with the first member's name (one row used for everyone)", "tickets", "ja",
                "dtd,en-keys,no-display", Send(from, "ブレイズ通信 6月号", [.. members.Select((_, i) => new Row([A(emails[i])], D(("name", members[1]))))], content: body));
        }

        return list;
    }
}
