using System.Text;
using System.Text.Json.Nodes;
using SG = SendGrid.Helpers.Mail;
using static MisSend.TestSupport.Corpus.Wild.Kit;

namespace MisSend.TestSupport.Corpus.Wild;

/// <summary>
/// Labelled batches as senders of six industries build them in four languages, mostly with the official SendGrid
/// helpers: the mistakes that leak (each class of issue 9, in several shapes) and the mail that must not be stopped.
/// Each case says in a few words what happened, as a person would find it.
/// </summary>
public static class WildCorpus
{
    public static IReadOnlyList<LabelledBatch> Main { get; } = Build();

    /// <summary>The main corpus, the held-out part, and the reviewer cases (classes found by the first and second blind sets).</summary>
    public static IReadOnlyList<LabelledBatch> All { get; } = [.. Main, .. HeldOutCorpus.All, .. ReviewerCorpus.All, .. SecondReviewCorpus.All];

    /// <summary>Writes every batch under <paramref name="directory"/> with a labels.csv (file,label,reason), as <c>detector eval</c> reads them.</summary>
    public static void WriteTo(string directory, IEnumerable<LabelledBatch> batches)
    {
        var labels = new StringBuilder("file,label,reason\n");
        foreach (var b in batches)
        {
            var path = Path.Combine(directory, b.File);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, b.Json);
            labels.Append($"{b.File},{b.Label},\"{b.Reason.Replace("\"", "'")}\"\n");
        }

        File.WriteAllText(Path.Combine(directory, "labels.csv"), labels.ToString());
    }

    private sealed class Cases
    {
        public List<LabelledBatch> List { get; } = [];

        public void Add(string name, string label, string reason, string industry, string lang, object shape, string json) =>
            List.Add(new LabelledBatch($"{industry}/{label}-{name}.json", label, reason, industry, lang, shape.ToString()!, HeldOut: false, json));
    }

    private static List<LabelledBatch> Build()
    {
        var c = new Cases();
        var v = 0;
        foreach (var industry in Industries)
        {
            foreach (var lang in Languages)
            {
                var seed = 100 * Array.IndexOf(Industries, industry) + Array.IndexOf(Languages, lang);
                var people = Humans.Make(lang, 8, seed, firstId: seed * 10);
                PerIndustry(c, industry, lang, people, Shape.Of(v++), v);
            }
        }

        Visible(c);
        SenderFields(c);
        MergeValues(c);
        SharedContent(c);
        Ownership(c);
        Relationships(c);
        Organisation(c);
        Jobs(c);
        Limits(c);
        return c.List;
    }

    // ------------------------------------------------------------------ per industry and language: clean, copied, shifted

    private static void PerIndustry(Cases c, string industry, string lang, List<Human> people, Shape shape, int v)
    {
        var sender = SenderOf(industry, lang);
        c.Add($"{lang}-own-data", "pass", $"each {What(industry)} gets their own mail", industry, lang, shape,
            Json(PerRecipient(industry, lang, people, shape)));

        // The founding incident: one customer's data passed to the helper that copies it into every personalization.
        if (shape.Substitutions)
        {
            // Each recipient in their own personalization, every one with the first row's substitutions.
            var msg = new SG.SendGridMessage();
            msg.SetFrom(From(sender));
            msg.SetGlobalSubject(sender.Subject);
            msg.AddContent("text/plain", Plain(sender, Data(industry, people[0], shape)));
            for (var i = 0; i < people.Count; i++)
            {
                msg.AddTo(To(people[i], shape), i);
                msg.AddSubstitutions(Substitutions(Data(industry, people[0], shape)), i);
            }

            c.Add($"{lang}-first-row-to-everyone", "halt", $"the first {What(industry)}'s row was used for every recipient", industry, lang, shape, Json(msg));
        }
        else
        {
            var msg = SG.MailHelper.CreateSingleTemplateEmailToMultipleRecipients(From(sender), people.Select(p => To(p, shape)).ToList(),
                TemplateId(industry), ToPlain(Data(industry, people[0], shape)));
            msg.SetGlobalSubject(sender.Subject);
            c.Add($"{lang}-single-template-to-many", "halt",
                $"CreateSingleTemplateEmailToMultipleRecipients copied one {What(industry)}'s data into every personalization", industry, lang, shape, Json(msg));
        }

        // Rows shifted by one. Without a display name and without the owner's address in the data, nothing in a
        // Japanese batch says whose row it is (see the report): such a batch keeps the owner's address.
        var shiftShape = lang == "ja" && !shape.DisplayNames ? shape with { OwnerEmail = true } : shape;
        c.Add($"{lang}-rows-shifted", "halt", $"the merge loop was off by one: each {What(industry)} got the next one's data", industry, lang, shiftShape,
            Json(PerRecipient(industry, lang, people, shiftShape, dataOf: i => people[(i + 1) % people.Count])));

        if (v % 2 == 0)
        {
            // The whole run in one personalization: the first customer's data, everyone else in bcc.
            var msg = new SG.SendGridMessage();
            msg.SetFrom(From(sender));
            msg.SetGlobalSubject(sender.Subject);
            msg.SetTemplateId(TemplateId(industry));
            msg.AddTo(To(people[0], shape), 0);
            msg.AddBccs(people.Skip(1).Select(p => new SG.EmailAddress(p.Email)).ToList(), 0);
            msg.SetTemplateData(ToPlain(Data(industry, people[0], shape with { OwnerEmail = false })), 0);
            c.Add($"{lang}-one-mail-bcc-to-all", "halt", $"one {What(industry)}'s mail went out with everyone else in bcc", industry, lang, shape, Json(msg));
        }
    }

    private static string What(string industry) => industry switch
    {
        "tickets" => "season-ticket holder",
        "clinic" => "patient",
        "school" => "family",
        "utility" => "customer",
        "b2b" => "client",
        _ => "buyer",
    };

    // ------------------------------------------------------------------ visible recipients

    private static void Visible(Cases c)
    {
        foreach (var (lang, i) in Languages.Select((l, i) => (l, i)))
        {
            var industry = i % 2 == 0 ? "tickets" : "shop";
            var sender = SenderOf(industry, lang);
            var people = Humans.Make(lang, 12, seed: 300 + i);
            var shown = SG.MailHelper.CreateSingleEmailToMultipleRecipients(From(sender), people.Select(p => new SG.EmailAddress(p.Email, p.FullName)).ToList(),
                sender.Subject, sender.Body, $"<p>{sender.Body}</p>", showAllRecipients: true);
            c.Add($"{lang}-newsletter-everyone-in-to", "halt", "showAllRecipients: every customer sees every other customer's address", industry, lang, "content,to", Json(shown));

            var hidden = SG.MailHelper.CreateSingleEmailToMultipleRecipients(From(sender), people.Select(p => new SG.EmailAddress(p.Email, p.FullName)).ToList(),
                sender.Subject, sender.Body, $"<p>{sender.Body}</p><hr><p>{sender.Footer}</p>", showAllRecipients: false);
            c.Add($"{lang}-newsletter-hidden-recipients", "pass", "a newsletter to each customer separately, with the sender's own footer", industry, lang, "content,separate", Json(hidden));

            var cc = PerRecipient(industry, lang, people.Take(8).ToList(), Shape.Of(i));
            cc.AddCc(new SG.EmailAddress(people[9].Email, people[9].FullName), 3);
            c.Add($"{lang}-another-customer-in-cc", "halt", "another customer's address was put in cc of one mail", industry, lang, Shape.Of(i), Json(cc));
        }

        // A sender on a public webmail domain does not make webmail customers "internal".
        foreach (var lang in new[] { "ja", "en" })
        {
            var people = Humans.Make(lang, 8, seed: 310 + lang.Length);
            var owner = new SG.EmailAddress(lang == "ja" ? "hanamizuki.zakka@gmail.com" : "maple.thread.shop@gmail.com", lang == "ja" ? "はなみずき雑貨店" : "Maple & Thread");
            var ok = PerRecipient("shop", lang, people, Shape.Of(0));
            ok.SetFrom(owner);
            c.Add($"{lang}-webmail-sender-own-orders", "pass", "a small shop sending from Gmail: each buyer their own order", "shop", lang, "dtd,webmail-sender", Json(ok));

            var replay = new SG.SendGridMessage();
            replay.SetFrom(owner);
            replay.SetTemplateId(TemplateId("shop"));
            for (var i = 0; i < people.Count; i++)
            {
                replay.AddTo(new SG.EmailAddress(people[i].Email, people[i].FullName), i);
                replay.AddBccs(people.Where((_, j) => j != i).Select(p => new SG.EmailAddress(p.Email)).ToList(), i);
                replay.SetTemplateData(ToPlain(Data("shop", people[i], Shape.Of(0))), i);
            }

            c.Add($"{lang}-webmail-sender-incident-replay", "halt", "every buyer's order bcc'd to every other buyer, from a Gmail sender", "shop", lang, "dtd,webmail-sender,bcc", Json(replay));
        }
    }

    // ------------------------------------------------------------------ from.name, reply_to, headers

    private static void SenderFields(Cases c)
    {
        foreach (var (lang, i) in Languages.Select((l, i) => (l, i)))
        {
            var industry = Industries[i + 1];
            var people = Humans.Make(lang, 8, seed: 400 + i);
            var shape = Shape.Of(i + 5);
            var replyTo = PerRecipient(industry, lang, people, shape);
            replyTo.SetReplyTo(new SG.EmailAddress(people[5].Email, people[5].FullName));
            c.Add($"{lang}-reply-to-a-customer", "halt", "reply_to was set to the customer who last wrote in, so everyone sees their address", industry, lang, shape, Json(replyTo));

            var okReply = PerRecipient(industry, lang, people, shape);
            okReply.SetReplyTo(new SG.EmailAddress("support@" + SenderOf(industry, lang).Email.Split('@')[1], "Support"));
            c.Add($"{lang}-reply-to-help-desk", "pass", "reply_to is the sender's help desk", industry, lang, shape, Json(okReply));

            if (i < 3)
            {
                var header = PerRecipient(industry, lang, people, shape);
                header.AddGlobalHeader("X-Customer", $"{people[0].CustomerNo} {people[0].Email}");
                c.Add($"{lang}-debug-header-with-a-customer", "halt", "a debugging header carries the first customer's number and address on every mail", industry, lang, shape, Json(header));
            }

            if (i % 2 == 0)
            {
                var fromName = PerRecipient(industry, lang, people, shape);
                fromName.SetFrom(new SG.EmailAddress(SenderOf(industry, lang).Email, lang == "ja" ? $"{people[2].FullName}様 担当窓口" : $"{people[2].FullName} account team"));
                c.Add($"{lang}-from-name-holds-a-customer", "halt", "the sender name was built from the first row: a customer's name on every mail", industry, lang, shape, Json(fromName));
            }
        }
    }

    // ------------------------------------------------------------------ merge values naming other people

    private static void MergeValues(Cases c)
    {
        foreach (var (lang, i) in Languages.Select((l, i) => (l, i)))
        {
            var industry = Industries[(i + 3) % Industries.Length];
            var people = Humans.Make(lang, 8, seed: 500 + i);
            var shape = Shape.Of(i) with { Substitutions = false };
            var preheader = PerRecipient(industry, lang, people, shape, adjust: (k, _, d) =>
            {
                var previous = people[(k + people.Count - 1) % people.Count];
                d[Key("preheader", lang, shape)] = lang switch
                {
                    "ja" => $"{previous.FullName}様、お支払い期限が近づいています",
                    "de" => $"Sehr geehrte Frau {previous.FullName}, Ihre Zahlung ist bald fällig",
                    "fr" => $"Madame {previous.FullName}, votre échéance approche",
                    _ => $"Dear {previous.FullName}, your payment is due soon",
                };
                return d;
            });
            c.Add($"{lang}-preheader-from-previous-row", "halt", "the preheader was filled from the previous row and greets another customer", industry, lang, shape, Json(preheader));

            var subjectShift = PerRecipient(industry, lang, people, shape);
            for (var k = 0; k < people.Count; k++)
            {
                var other = people[(k + 1) % people.Count];
                subjectShift.SetSubject(lang == "ja" ? $"{other.FullName}様 {SenderOf(industry, lang).Subject}" : $"{SenderOf(industry, lang).Subject} – {other.FullName}", k);
            }

            c.Add($"{lang}-subject-names-next-customer", lang == "ja" ? "halt" : "halt", "per-recipient subject lines were shifted by one row", industry, lang, shape, Json(subjectShift));

            var ownSubject = PerRecipient(industry, lang, people, shape);
            for (var k = 0; k < people.Count; k++)
            {
                ownSubject.SetSubject(lang == "ja" ? $"{people[k].FullName}様 {SenderOf(industry, lang).Subject}" : $"{SenderOf(industry, lang).Subject} – {people[k].FullName}", k);
            }

            c.Add($"{lang}-subject-names-the-recipient", "pass", "each subject line names its own recipient", industry, lang, shape, Json(ownSubject));
        }

        foreach (var lang in new[] { "ja", "en", "fr" })
        {
            var buyers = Humans.Make(lang, 8, seed: 520 + lang.Length);
            var shape = Shape.Of(1);
            var sender = SenderOf("shop", lang);
            var two = SG.MailHelper.CreateMultipleTemplateEmailsToMultipleRecipients(From(sender), buyers.Select(b => To(b, shape)).ToList(), TemplateId("shop"),
                buyers.Select((b, i) => (object)new Dictionary<string, object>
                {
                    ["orders"] = (i == 4 ? new[] { b, buyers[6] } : [b]).Select(o => new Dictionary<string, object>
                    {
                        ["order_no"] = $"MT-{880000 + o.Id * 31}", ["customer"] = o.FullName, ["email"] = o.Email, ["total"] = "¥4,800",
                    }).ToList(),
                }).ToList());
            c.Add($"{lang}-second-customers-order-in-one-mail", "halt", "a grouping bug put another customer's order into one buyer's mail", "shop", lang, "dtd,orders[]", Json(two));

            var everyone = buyers.Select(b => new Dictionary<string, object> { ["order_no"] = $"MT-{880000 + b.Id * 31}", ["customer"] = b.FullName, ["email"] = b.Email }).ToList();
            if (lang != "fr")
            {
                var list = SG.MailHelper.CreateMultipleTemplateEmailsToMultipleRecipients(From(sender), buyers.Select(b => To(b, shape)).ToList(), TemplateId("shop"),
                    buyers.Select(b => (object)new Dictionary<string, object> { ["name"] = b.FullName, ["todays_orders"] = everyone }).ToList());
                c.Add($"{lang}-order-list-of-every-customer", "halt", "the day's full order list went into every buyer's data", "shop", lang, "dtd,list", Json(list));
            }

            var twoOwn = SG.MailHelper.CreateMultipleTemplateEmailsToMultipleRecipients(From(sender), buyers.Select(b => To(b, shape)).ToList(), TemplateId("shop"),
                buyers.Select(b => (object)new Dictionary<string, object>
                {
                    ["orders"] = new[] { 1, 2 }.Select(k => new Dictionary<string, object> { ["order_no"] = $"MT-{880000 + b.Id * 31 + k}", ["customer"] = b.FullName, ["email"] = b.Email }).ToList(),
                }).ToList());
            c.Add($"{lang}-two-own-orders-in-one-mail", "pass", "each buyer's two orders in one mail, both theirs", "shop", lang, "dtd,orders[]", Json(twoOwn));
        }
    }

    // ------------------------------------------------------------------ shared content and attachments

    private static void SharedContent(Cases c)
    {
        foreach (var (lang, i) in Languages.Select((l, i) => (l, i)))
        {
            var patients = Humans.Make(lang, 8, seed: 600 + i);
            var strangers = Humans.Make(lang, 5, seed: 650 + i, firstId: 5000);
            var sender = SenderOf("clinic", lang);
            var condition = lang switch { "ja" => "病名", "de" => "Diagnose", "fr" => "Diagnostic", _ => "Diagnosis" };
            var born = lang switch { "ja" => "生年月日", "de" => "Geburtsdatum", "fr" => "Date de naissance", _ => "Date of birth" };
            var illnesses = lang switch { "ja" => new[] { "糖尿病", "高血圧", "喘息" }, "de" => ["Diabetes", "Bluthochdruck", "Asthma"], "fr" => ["diabète", "hypertension", "asthme"], _ => ["diabetes", "hypertension", "asthma"] };
            var pasted = string.Join("\n", strangers.Take(3).Select((s, k) => $"{s.FullName} / {born}: {s.BirthDate} / {condition}: {illnesses[k]}"));
            var msg = PerRecipient("clinic", lang, patients, Shape.Of(i) with { Substitutions = false });
            msg.AddContent("text/plain", $"{sender.Body}\n\n{pasted}\n--\n{sender.Footer}");
            c.Add($"{lang}-pasted-patient-list-in-body", "halt", "the day's list of other patients (birth dates, conditions) was pasted into the reminder", "clinic", lang, "dtd,content", Json(msg));

            var invoice = PerRecipient("utility", lang, patients, Shape.Of(i) with { Substitutions = false });
            var s0 = strangers[4];
            var label = lang switch { "ja" => ("お客様名", "ご住所", "携帯電話"), "de" => ("Name", "Anschrift", "Mobil"), "fr" => ("Nom", "Adresse", "Portable"), _ => ("Name", "Address", "Mobile") };
            invoice.AddContent("text/plain", $"{SenderOf("utility", lang).Body}\n\n{label.Item1}: {s0.FullName}\n{label.Item2}: {s0.Address}\n{label.Item3}: {s0.Mobile}\n--\n{SenderOf("utility", lang).Footer}");
            c.Add($"{lang}-one-strangers-bill-in-body", "halt", "a test send's body still held one real customer's bill (name, address, mobile)", "utility", lang, "dtd,content", Json(invoice));

            var offices = lang switch
            {
                "ja" => "本店 03-3211-0001 東京都千代田区丸の内1-1-1\n横浜支店 045-201-0002 神奈川県横浜市中区本町2-2\n大阪支店 06-6201-0003 大阪府大阪市北区梅田3-3-3\n",
                "de" => "Filiale Mitte: 030 2061 0001, Friedrichstraße 10, 10117 Berlin\nFiliale Nord: 040 3090 0002, Jungfernstieg 5, 20354 Hamburg\nFiliale Süd: 089 2300 0003, Marienplatz 8, 80331 München\n",
                "fr" => "Agence Paris : 01 42 60 00 01, 10 rue de Rivoli, 75001 Paris\nAgence Lyon : 04 72 00 00 02, 5 place Bellecour, 69002 Lyon\nAgence Lille : 03 20 00 00 03, 2 rue Nationale, 59000 Lille\n",
                _ => "Head office: 020 7946 0001, 1 King Street, London EC2V 8AU\nManchester branch: 0161 496 0002, 2 Deansgate, Manchester M3 2BW\nLeeds branch: 0113 496 0003, 3 Park Row, Leeds LS1 5HD\n",
            };
            var branches = PerRecipient("utility", lang, patients, Shape.Of(i) with { Substitutions = false });
            branches.AddContent("text/plain", $"{SenderOf("utility", lang).Body}\n\n{offices}\n--\n{SenderOf("utility", lang).Footer}");
            c.Add($"{lang}-own-branch-phone-table", "pass", "the company's own table of branch phone numbers and addresses", "utility", lang, "dtd,content", Json(branches));

            var single = SG.MailHelper.CreateSingleEmail(From(SenderOf("shop", lang)), new SG.EmailAddress(patients[0].Email, patients[0].FullName), SenderOf("shop", lang).Subject,
                $"{patients[0].FullName}\n{patients[0].Address}\n{patients[0].Mobile}\n{SenderOf("shop", lang).Body}", $"<p>{patients[0].FullName}</p><p>{patients[0].Address}</p>");
            c.Add($"{lang}-single-receipt-with-own-address", "pass", "one buyer's receipt with their own name, address and phone in the body", "shop", lang, "content,single", Json(single));
        }

        var people = Humans.Make("ja", 8, seed: 680);
        var roster = "氏名,メールアドレス,電話番号,会員番号\n" + string.Concat(people.Select(p => $"{p.FullName},{p.Email},{p.Mobile},{p.CustomerNo}\n"));
        foreach (var (name, encoding, bom) in new (string, Encoding, bool)[]
                 {
                     ("utf8", Encoding.UTF8, true), ("shift-jis", ShiftJis, false), ("utf16-bom", Encoding.Unicode, true), ("utf16-no-bom", Encoding.Unicode, false),
                 })
        {
            var msg = PerRecipient("tickets", "ja", people, Shape.Of(0));
            msg.AddAttachment($"会員名簿_{name}.csv", Base64(roster, encoding, bom), "text/csv", "attachment");
            c.Add($"ja-member-list-attached-{name}", "halt", $"the member list export ({name}) was attached instead of the fixture list", "tickets", "ja", $"dtd,attachment-{name}", Json(msg));
        }

        var fixtures = "節,日付,キックオフ,対戦相手,会場\n1,2027/02/27(土),14:00,鹿島アントラーズ,埼玉スタジアム2002\n2,2027/03/06(土),15:00,川崎フロンターレ,等々力陸上競技場\n";
        var okAttach = PerRecipient("tickets", "ja", people, Shape.Of(0));
        okAttach.AddAttachment("日程.csv", Base64(fixtures, ShiftJis), "text/csv", "attachment");
        c.Add("ja-fixture-list-attached", "pass", "the season's fixture list attached (Shift_JIS)", "tickets", "ja", "dtd,attachment-shift-jis", Json(okAttach));

        var en = Humans.Make("en", 8, seed: 681);
        var html = SG.MailHelper.CreateSingleEmailToMultipleRecipients(From(SenderOf("tickets", "en")), en.Select(p => new SG.EmailAddress(p.Email, p.FullName)).ToList(),
            "Supporters' club meeting", "See you on Friday.",
            "<p>See you on Friday.</p><table>" + string.Concat(en.Take(5).Select(p => $"<tr><td>{p.FullName}</td><td>{p.Email}</td><td>{p.Mobile}</td></tr>")) + "</table>",
            showAllRecipients: false);
        c.Add("en-committee-contact-table-in-html", "halt", "the committee's members' contact table (names, addresses, mobiles) went to all supporters", "tickets", "en", "content,html-table", Json(html));
    }

    // ------------------------------------------------------------------ whose data: names, local parts, fan-in

    private static void Ownership(Cases c)
    {
        foreach (var lang in new[] { "en", "de", "fr" })
        {
            var people = Humans.Make(lang, 8, seed: 700 + lang.Length + lang[0]);
            var shape = new Shape(NativeKeys: false, Substitutions: false, DisplayNames: false, OwnerEmail: false);
            c.Add($"{lang}-rows-shifted-only-local-parts", "halt", "rows shifted; no display names, but each address spells its owner's name", "utility", lang, shape,
                Json(PerRecipient("utility", lang, people, shape, dataOf: i => people[(i + 1) % people.Count])));

            var surnameFirst = PerRecipient("tickets", lang, people, Shape.Of(0) with { DisplayNames = false });
            for (var i = 0; i < people.Count; i++)
            {
                surnameFirst.Personalizations[i].Tos[0].Name = i % 2 == 0 ? $"{people[i].Family.ToUpperInvariant()}, {people[i].Given}" : $"{people[i].Family.ToUpperInvariant()} {people[i].Given}";
            }

            c.Add($"{lang}-display-names-surname-first-in-capitals", "pass", "the CRM writes display names as 'SURNAME, Given'", "tickets", lang, "dtd,display-surname-first", Json(surnameFirst));
        }

        {
            var people = Humans.Make("ja", 8, seed: 720);
            var romaji = PerRecipient("tickets", "ja", people, Shape.Of(0));
            for (var i = 0; i < people.Count; i++)
            {
                romaji.Personalizations[i].Tos[0].Name = people[i].Email.Split('@')[0].Split('.')[1].TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9') + " " + people[i].Email.Split('.')[0];
            }

            // A membership system that keeps フリガナ: the reading ties each kanji name to its romanized address.
            var bare = new Shape(NativeKeys: true, Substitutions: false, DisplayNames: false, OwnerEmail: false);
            JsonObject WithReading(int k, Human h, JsonObject d)
            {
                d["フリガナ"] = h.Kana;
                return d;
            }

            c.Add("ja-furigana-own-rows", "pass", "member data with furigana, no display names, each member their own row", "tickets", "ja", bare,
                Json(PerRecipient("tickets", "ja", people, bare, adjust: WithReading)));
            c.Add("ja-furigana-rows-shifted", "halt", "rows shifted by one; only the furigana and the romanized addresses show it", "tickets", "ja", bare,
                Json(PerRecipient("tickets", "ja", people, bare, dataOf: i => people[(i + 1) % people.Count], adjust: WithReading)));

            c.Add("ja-romanized-display-names", "pass", "display names are romanized while the data is in kanji", "tickets", "ja", "dtd,display-romaji", Json(romaji));

            // 佐藤 健 gets 佐藤 美咲's guide: the surname matches, the person does not.
            var sameSurname = people.Select((p, i) => i == 3 ? p with { Family = people[2].Family, Given = p.Given == people[2].Given ? "隆" : p.Given } : p).ToList();
            var msg = PerRecipient("tickets", "ja", sameSurname, Shape.Of(0) with { OwnerEmail = false }, dataOf: i => i == 3 ? sameSurname[2] : sameSurname[i]);
            c.Add("ja-same-surname-different-person", "halt", "a relative's address (same surname) was typed for another holder", "tickets", "ja", "dtd,display,no-email-key", Json(msg));
        }

        {
            var people = Humans.Make("en", 8, seed: 721);
            var people2 = people.Select((p, i) => i == 5 ? p with { Family = people[1].Family } : p).ToList();
            var msg = PerRecipient("clinic", "en", people2, Shape.Of(0) with { OwnerEmail = false }, dataOf: i => i == 5 ? people2[1] : people2[i]);
            c.Add("en-same-surname-different-person", "halt", "a patient's letter went to another patient who shares the surname", "clinic", "en", "dtd,display,no-email-key", Json(msg));
        }

        foreach (var (lang, i) in Languages.Select((l, i) => (l, i)))
        {
            var people = Humans.Make(lang, 8, seed: 730 + i);
            var industry = Industries[i];
            var fan = PerRecipient(industry, lang, people, Shape.Of(i) with { Substitutions = false });
            fan.Personalizations[6].Tos[0] = new SG.EmailAddress(people[2].Email, lang == "ja" ? "ご家族様" : "Family");
            c.Add($"{lang}-one-address-for-two-customers", "halt", "a family member's address was entered for a second customer: one inbox gets two people's data", industry, lang, "dtd,fan-in", Json(fan));

            var twice = PerRecipient("tickets", lang, people.Take(6).Append(people[1]).ToList(), Shape.Of(i) with { Substitutions = false });
            if (i < 2)
            {
                c.Add($"{lang}-one-holder-two-seats", "pass", "one holder renewed two seats and gets two mails", "tickets", lang, "dtd,repeat", Json(twice));
            }
        }

        {
            var people = Humans.Make("ja", 10, seed: 740);
            var shared = people.Select((p, i) => i % 3 == 0 ? p with { Family = "佐藤" } : p).ToList();
            c.Add("ja-shared-seat-price-surname", "pass", "many holders share a surname, a seat type and a price", "tickets", "ja", Shape.Of(0),
                Json(PerRecipient("tickets", "ja", shared, Shape.Of(0))));
            var home = shared.Select((p, i) => i == 4 ? p with { Family = shared[3].Family, Street = shared[3].Street, Postal = shared[3].Postal, City = shared[3].City } : p).ToList();
            c.Add("ja-household-same-address", "pass", "two members of one household share an address", "utility", "ja", Shape.Of(2),
                Json(PerRecipient("utility", "ja", home, Shape.Of(2))));
            var en = Humans.Make("en", 8, seed: 741);
            var enHome = en.Select((p, i) => i == 2 ? p with { Family = en[1].Family, Street = en[1].Street, Postal = en[1].Postal, City = en[1].City } : p).ToList();
            c.Add("en-household-same-address", "pass", "a couple share a billing address", "utility", "en", Shape.Of(4), Json(PerRecipient("utility", "en", enHome, Shape.Of(4))));
        }
    }

    // ------------------------------------------------------------------ guardians, gifts, public figures

    private static void Relationships(Cases c)
    {
        foreach (var (lang, i) in Languages.Select((l, i) => (l, i)))
        {
            var families = Humans.Make(lang, 8, seed: 800 + i);
            var kids = Humans.Make(lang, 8, seed: 850 + i, firstId: 3000);
            var shape = Shape.Of(i) with { Substitutions = false };
            c.Add($"{lang}-parent-gets-childs-report", "pass", "each guardian receives their child's report", "school", lang, shape,
                Json(PerRecipient("school", lang, families, shape, adjust: (k, h, d) => Data("school", h, shape, k, kids[k]))));

            var sender = SenderOf("school", lang);
            var twoKids = new SG.SendGridMessage();
            twoKids.SetFrom(From(sender));
            twoKids.SetGlobalSubject(sender.Subject);
            twoKids.SetTemplateId(TemplateId("school"));
            var p = 0;
            for (var k = 0; k < families.Count; k++)
            {
                foreach (var child in k == 3 ? new[] { kids[k], kids[7] } : [kids[k]])
                {
                    twoKids.AddTo(To(families[k], shape), p);
                    twoKids.SetTemplateData(ToPlain(Data("school", families[k], shape, p, child)), p);
                    p++;
                }
            }

            c.Add($"{lang}-guardian-of-two-children", "pass", "one guardian has two children at the school and gets two reports", "school", lang, shape, Json(twoKids));

            c.Add($"{lang}-reports-shifted-between-families", "halt", "the reports were merged one row off: each guardian got another family's child", "school", lang, shape,
                Json(PerRecipient("school", lang, families, shape, adjust: (k, _, _) => Data("school", families[(k + 1) % 8], shape, k, kids[(k + 1) % 8]))));

            var gifts = Humans.Make(lang, 8, seed: 870 + i, firstId: 4000);
            var giftShape = shape with { OwnerEmail = true };
            c.Add($"{lang}-gift-order-ships-to-someone-else", "pass", "gift orders name the person they ship to", "shop", lang, giftShape,
                Json(PerRecipient("shop", lang, families, giftShape, adjust: (k, h, d) =>
                {
                    if (k % 2 == 0)
                    {
                        d[Key("ship_name", lang, giftShape)] = gifts[k].FullName;
                        d[Key("ship_address", lang, giftShape)] = gifts[k].Address;
                    }

                    return d;
                })));

            var fans = Humans.Make(lang, 10, seed: 880 + i);
            var star = lang switch { "ja" => ("中村", "俊輔"), "de" => ("Müller", "Thomas"), "fr" => ("Mbappé", "Kylian"), _ => ("Kane", "Harry") };
            fans[6] = fans[6] with { Family = star.Item1, Given = star.Item2 };
            var starName = lang == "ja" ? $"{star.Item1} {star.Item2}" : $"{star.Item2} {star.Item1}";
            var headline = lang switch
            {
                "ja" => $"{starName}選手 トークショー開催決定！",
                "de" => $"Autogrammstunde mit {starName} am Samstag",
                "fr" => $"Séance de dédicaces avec {starName} samedi",
                _ => $"Meet {starName} at the fan day on Saturday",
            };
            var news = SG.MailHelper.CreateMultipleTemplateEmailsToMultipleRecipients(From(SenderOf("tickets", lang)), fans.Select(f => new SG.EmailAddress(f.Email, f.Display)).ToList(),
                "d-fan-news", fans.Select(f => (object)new Dictionary<string, object> { [Key("name", lang, shape)] = f.FullName, [Key("member", lang, shape)] = f.CustomerNo, ["headline"] = headline }).ToList());
            news.SetGlobalSubject(headline);
            news.AddContent("text/html", $"<h1>{headline}</h1><p>{starName}</p>");
            c.Add($"{lang}-newsletter-names-a-player-a-member-shares-a-name-with", "pass", "the newsletter names a famous player; one member has the same name", "tickets", lang, shape, Json(news));
        }

        // Both parents of one pupil in To.
        foreach (var lang in new[] { "ja", "de" })
        {
            var families = Humans.Make(lang, 6, seed: 890 + lang[0]);
            var kids = Humans.Make(lang, 6, seed: 895 + lang[0], firstId: 3100);
            var shape = Shape.Of(0) with { NativeKeys = true };
            var msg = PerRecipient("school", lang, families, shape, adjust: (k, h, d) => Data("school", h, shape, k, kids[k]));
            msg.AddTo(new SG.EmailAddress(kids[2].Email, lang == "ja" ? $"{families[2].Family} {kids[2].Given}（父）" : $"{kids[2].Given} {families[2].Family}"), 2);
            c.Add($"{lang}-both-parents-in-to", "pass", "both parents of one pupil are in To of the pupil's report", "school", lang, shape, Json(msg));
        }
    }

    // ------------------------------------------------------------------ organisations: B2B, staff, payroll

    private static void Organisation(Cases c)
    {
        var domains = new[] { "asahi-trading.co.jp", "kitamura-seiki.co.jp", "orbit-foods.com", "brunnen-technik.de", "atelier-lumen.fr", "harbour-freight.co.uk", "sakura-sangyo.co.jp", "nordlicht-media.de" };
        foreach (var (lang, i) in Languages.Select((l, i) => (l, i)))
        {
            var contacts = Humans.Make(lang, 6, seed: 900 + i);
            var shape = Shape.Of(i) with { Substitutions = false, OwnerEmail = false };
            var sender = SenderOf("b2b", lang);
            var msg = new SG.SendGridMessage();
            msg.SetFrom(From(sender));
            msg.SetGlobalSubject(sender.Subject);
            msg.SetTemplateId(TemplateId("b2b"));
            for (var k = 0; k < contacts.Count; k++)
            {
                var domain = domains[(k + i) % domains.Length];
                var local = contacts[k].Email.Split('@')[0];
                msg.AddTo(new SG.EmailAddress($"{local}@{domain}", contacts[k].Display), k);
                msg.AddCc(new SG.EmailAddress(lang == "ja" ? $"keiri@{domain}" : $"accounts@{domain}"), k);
                msg.SetTemplateData(ToPlain(Data("b2b", contacts[k], shape, k)), k);
            }

            c.Add($"{lang}-invoice-cc-clients-accounts-inbox", "pass", "each client's invoice, cc to that client's accounts inbox", "b2b", lang, shape, Json(msg));

            var colleague = new SG.SendGridMessage();
            colleague.SetFrom(From(sender));
            colleague.SetTemplateId(TemplateId("b2b"));
            for (var k = 0; k < 4; k++)
            {
                var domain = domains[k];
                colleague.AddTo(new SG.EmailAddress($"{contacts[k].Email.Split('@')[0]}@{domain}", contacts[k].Display), k);
                colleague.AddCc(new SG.EmailAddress($"{contacts[k + 1].Email.Split('@')[0]}@{domain}", contacts[k + 1].Display), k);
                colleague.SetTemplateData(ToPlain(Data("b2b", contacts[k], shape, k)), k);
            }

            c.Add($"{lang}-invoice-cc-a-colleague-at-the-client", "pass", "the client's invoice cc'd to a colleague at the same company", "b2b", lang, shape, Json(colleague));

            var wrongClient = new SG.SendGridMessage();
            wrongClient.SetFrom(From(sender));
            wrongClient.SetTemplateId(TemplateId("b2b"));
            for (var k = 0; k < 5; k++)
            {
                wrongClient.AddTo(new SG.EmailAddress($"{contacts[k].Email.Split('@')[0]}@{domains[k]}", contacts[k].Display), k);
                wrongClient.AddCc(new SG.EmailAddress(lang == "ja" ? $"keiri@{domains[(k + 1) % 5]}" : $"accounts@{domains[(k + 1) % 5]}"), k);
                wrongClient.SetTemplateData(ToPlain(Data("b2b", contacts[k], shape, k)), k);
            }

            c.Add($"{lang}-invoice-cc-another-clients-inbox", "halt", "the cc column was one row off: each invoice went to another client's accounts inbox", "b2b", lang, shape, Json(wrongClient));
        }

        foreach (var lang in new[] { "ja", "en", "de" })
        {
            var people = Humans.Make(lang, 8, seed: 950 + lang[0]);
            var industry = lang == "de" ? "utility" : "tickets";
            var sender = SenderOf(industry, lang);
            var domain = sender.Email.Split('@')[1];
            var audit = PerRecipient(industry, lang, people, Shape.Of(1));
            for (var k = 0; k < people.Count; k++)
            {
                audit.AddBcc(new SG.EmailAddress($"archive@{domain}"), k);
            }

            c.Add($"{lang}-audit-copy-to-own-archive", "pass", "every mail is copied to the sender's own archive mailbox", industry, lang, "dtd,bcc-archive", Json(audit));
        }

        {
            var people = Humans.Make("ja", 8, seed: 960);
            var msg = PerRecipient("tickets", "ja", people, Shape.Of(0));
            for (var k = 0; k < people.Count; k++)
            {
                msg.AddCc(new SG.EmailAddress("check@urawa-ops.jp", "運用チェック"), k);
            }

            var policy = new JsonObject { ["internalDomains"] = new JsonArray("urawa-ops.jp"), ["language"] = "ja" };
            c.Add("ja-contractor-check-inbox-declared-internal", "pass", "the contractor's check inbox in cc, declared internal in the policy", "tickets", "ja", "envelope,policy", Envelope(msg, "ja-ops-check", 1, 1, policy));
        }

        foreach (var lang in new[] { "ja", "en" })
        {
            var staff = Humans.Make(lang, 8, seed: 970 + lang.Length);
            var domain = lang == "ja" ? "kanda-kogyo.co.jp" : "brightline-logistics.com";
            var from = new SG.EmailAddress($"payroll@{domain}", lang == "ja" ? "総務部 給与担当" : "Payroll");
            object Slip(Human h) => new Dictionary<string, object> { [lang == "ja" ? "社員名" : "employee_name"] = h.FullName, [lang == "ja" ? "社員番号" : "employee_no"] = $"E{10000 + h.Id}", [lang == "ja" ? "差引支給額" : "net_pay"] = lang == "ja" ? "¥286,400" : "£2,410.55" };
            var tos = staff.Select(h => new SG.EmailAddress($"{h.Email.Split('@')[0]}@{domain}", h.FullName)).ToList();
            c.Add($"{lang}-payslips-to-employees", "pass", "each employee's payslip to their own company address", "b2b", lang, "dtd,own-domain",
                Json(SG.MailHelper.CreateMultipleTemplateEmailsToMultipleRecipients(from, tos, "d-payslip", staff.Select(Slip).ToList())));
            c.Add($"{lang}-payslips-shifted", "halt", "payslips shifted by one row: colleagues see each other's pay", "b2b", lang, "dtd,own-domain",
                Json(SG.MailHelper.CreateMultipleTemplateEmailsToMultipleRecipients(from, tos, "d-payslip", staff.Select((_, k) => Slip(staff[(k + 1) % staff.Count])).ToList())));
        }
    }

    // ------------------------------------------------------------------ jobs of several chunks

    private static void Jobs(Cases c)
    {
        {
            var holders = Humans.Make("ja", 9, seed: 1000);
            var sender = SenderOf("tickets", "ja");
            var policy = new JsonObject { ["subjectKeyField"] = Key("member", "ja", Shape.Of(0)), ["language"] = "ja" };
            string Chunk(int chunk, IEnumerable<(Human To, Human Data, bool Display)> rows)
            {
                var list = rows.ToList();
                var msg = SG.MailHelper.CreateMultipleTemplateEmailsToMultipleRecipients(From(sender),
                    list.Select(r => r.Display ? new SG.EmailAddress(r.To.Email, r.To.Display) : new SG.EmailAddress(r.To.Email)).ToList(),
                    TemplateId("tickets"), list.Select(r => (object)ToPlain(Data("tickets", r.Data, Shape.Of(0) with { OwnerEmail = false }))).ToList());
                return Envelope(msg, "ja-renewal-2027", chunk, 3, policy);
            }

            c.Add("ja-job-chunk-1", "pass", "chunk 1 of 3: holder 9's address was typed for holder 1, without a display name (invisible on its own)", "tickets", "ja", "job,dtd",
                Chunk(1, [(holders[8], holders[0], false), (holders[1], holders[1], true), (holders[2], holders[2], true)]));
            c.Add("ja-job-chunk-2", "halt", "chunk 2 sends holder 1's renewal to holder 1, and holder 9 their own: both already got it wrong in chunk 1", "tickets", "ja", "job,dtd",
                Chunk(2, [(holders[8], holders[8], true), (holders[0], holders[0], true), (holders[3], holders[3], true)]));
            c.Add("ja-job-chunk-3", "pass", "chunk 3 of 3: its own rows are right", "tickets", "ja", "job,dtd",
                Chunk(3, holders.Skip(4).Take(4).Select(h => (h, h, true))));
        }

        {
            var customers = Humans.Make("de", 8, seed: 1001);
            var sender = SenderOf("utility", "de");
            string Chunk(int chunk, IEnumerable<Human> rows)
            {
                var list = rows.ToList();
                var msg = SG.MailHelper.CreateMultipleTemplateEmailsToMultipleRecipients(From(sender), list.Select(h => new SG.EmailAddress(h.Email, h.FullName)).ToList(),
                    TemplateId("utility"), list.Select(h => (object)ToPlain(Data("utility", h, Shape.Of(0)))).ToList());
                return Envelope(msg, "de-strom-2027-01", chunk, 2);
            }

            c.Add("de-job-chunk-1", "pass", "a clean job of two chunks: part 1", "utility", "de", "job,dtd", Chunk(1, customers.Take(4)));
            c.Add("de-job-chunk-2", "pass", "a clean job of two chunks: part 2", "utility", "de", "job,dtd", Chunk(2, customers.Skip(4)));
        }

        {
            var members = Humans.Make("fr", 8, seed: 1002);
            var sender = SenderOf("tickets", "fr");
            string Chunk(int chunk, IEnumerable<(Human To, Human Data)> rows)
            {
                var list = rows.ToList();
                var msg = SG.MailHelper.CreateMultipleTemplateEmailsToMultipleRecipients(From(sender), list.Select(r => new SG.EmailAddress(r.To.Email)).ToList(),
                    TemplateId("tickets"), list.Select(r => (object)ToPlain(Data("tickets", r.Data, Shape.Of(0) with { OwnerEmail = false }))).ToList());
                return Envelope(msg, "fr-abonnements-2027", chunk, 2);
            }

            c.Add("fr-job-chunk-1", "pass", "part 1: member 1's renewal went to member 5's address (no display names)", "tickets", "fr", "job,dtd",
                Chunk(1, [(members[4], members[0]), (members[1], members[1]), (members[2], members[2])]));
            c.Add("fr-job-chunk-2", "halt", "part 2 sends member 1's renewal again, to member 1: the same person's data to two recipients", "tickets", "fr", "job,dtd",
                Chunk(2, [(members[0], members[0]), (members[3], members[3]), (members[5], members[5])]));
        }
    }

    // ------------------------------------------------------------------ over SendGrid's limits

    private static void Limits(Cases c)
    {
        var people = Humans.Make("en", 1001, seed: 1100);
        var sender = SenderOf("shop", "en");
        var copied = SG.MailHelper.CreateSingleTemplateEmailToMultipleRecipients(From(sender), people.Select(p => new SG.EmailAddress(p.Email)).ToList(),
            TemplateId("shop"), ToPlain(Data("shop", people[0], Shape.Of(0))));
        c.Add("en-1001-copies-of-one-order", "halt", "over SendGrid's limit, and one buyer's order copied to all 1,001", "shop", "en", "dtd,over-limit", Json(copied));
    }
}
