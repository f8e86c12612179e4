using System.Text;
using System.Text.Json.Nodes;
using SG = SendGrid.Helpers.Mail;
using static MisSend.TestSupport.Corpus.Wild.Kit;

namespace MisSend.TestSupport.Corpus.Wild;

/// <summary>
/// The held-out part of the corpus: written before the detector was tuned on the main corpus, with industries (a gym, a
/// hotel, a city office, a dental practice), key names and mistakes of its own, and never tuned on. Its score is
/// reported separately.
/// </summary>
public static class HeldOutCorpus
{
    public static IReadOnlyList<LabelledBatch> All { get; } = Build();

    private static List<LabelledBatch> Build()
    {
        var list = new List<LabelledBatch>();
        void Add(string file, string label, string reason, string industry, string lang, string shape, string json) =>
            list.Add(new LabelledBatch($"heldout/{label}-{file}.json", label, reason, industry, lang, shape, HeldOut: true, json));

        // ------------------------------------------------------------ a gym (ja)
        {
            var members = Humans.Make("ja", 12, seed: 901, firstId: 500);
            var from = new SG.EmailAddress("info@fit-plus-kichijoji.jp", "フィットプラス吉祥寺");
            object Row(Human m) => new Dictionary<string, object>
            {
                ["member"] = new Dictionary<string, object> { ["fullName"] = m.FullName, ["memberCode"] = m.CustomerNo, ["mail"] = m.Email },
                ["plan"] = "マンスリー会員",
                ["fee"] = "¥8,800",
                ["withdrawDate"] = "2027年3月27日",
            };

            var ok = SG.MailHelper.CreateMultipleTemplateEmailsToMultipleRecipients(from, members.Select(m => new SG.EmailAddress(m.Email, m.FullName)).ToList(),
                "d-gym-monthly", members.Select(Row).ToList());
            Add("gym-monthly-fee-nested-member", "pass", "each member gets their own nested member object", "fitness", "ja", "dtd,camelCase,display,email-key", Json(ok));

            var copied = SG.MailHelper.CreateSingleTemplateEmailToMultipleRecipients(from, members.Select(m => new SG.EmailAddress(m.Email)).ToList(),
                "d-gym-monthly", Row(members[0]));
            Add("gym-first-members-data-to-all", "halt", "the first member's name, code and address went to all 12 members", "fitness", "ja", "dtd,camelCase,no-display", Json(copied));

            var shifted = SG.MailHelper.CreateMultipleTemplateEmailsToMultipleRecipients(from, members.Select(m => new SG.EmailAddress(m.Email)).ToList(),
                "d-gym-monthly", members.Select((_, i) => Row(members[(i + 1) % members.Count])).ToList());
            Add("gym-rows-shifted-no-display-names", "halt", "loop off by one: each member got the next member's record (their own address is in it)", "fitness", "ja", "dtd,camelCase,no-display,email-key", Json(shifted));

            var household = members.Take(6).ToList();
            household[1] = household[1] with { Family = household[0].Family, Street = household[0].Street, Postal = household[0].Postal, City = household[0].City };
            var ok2 = SG.MailHelper.CreateMultipleTemplateEmailsToMultipleRecipients(from, household.Select(m => new SG.EmailAddress(m.Email, m.FullName)).ToList(),
                "d-gym-address-check", household.Select(m => (object)new Dictionary<string, object> { ["fullName"] = m.FullName, ["homeAddress"] = m.Address }).ToList());
            Add("gym-couple-same-address", "pass", "a married couple share a home address; each gets their own mail", "fitness", "ja", "dtd,camelCase,display", Json(ok2));
        }

        // ------------------------------------------------------------ a hotel (en, fr)
        foreach (var lang in new[] { "en", "fr" })
        {
            var guests = Humans.Make(lang, 10, seed: 902, firstId: 600);
            var from = new SG.EmailAddress(lang == "en" ? "stay@harbourview-hotel.co.uk" : "sejour@hotel-les-tilleuls.fr", lang == "en" ? "Harbourview Hotel" : "Hôtel Les Tilleuls");
            var subject = lang == "en" ? "Your booking is confirmed" : "Votre réservation est confirmée";
            var msg = new SG.SendGridMessage();
            msg.SetFrom(from);
            msg.SetTemplateId("d-hotel-booking");
            for (var i = 0; i < guests.Count; i++)
            {
                var g = guests[i];
                msg.AddTo(new SG.EmailAddress(g.Email, g.FullName), i);
                msg.SetTemplateData(new Dictionary<string, object> { ["guest"] = g.FullName, ["booking_ref"] = $"HV{731000 + g.Id}", ["arrival"] = "2027-04-02", ["nights"] = 2 + g.Id % 3 }, i);
                msg.SetSubject(subject, i);
            }

            Add($"hotel-booking-{lang}", "pass", "each guest gets their own booking confirmation", "hotel", lang, "dtd,en-keys,display,no-email-key", Json(msg));

            var bccd = new SG.SendGridMessage();
            bccd.SetFrom(from);
            bccd.SetTemplateId("d-hotel-booking");
            bccd.AddTo(new SG.EmailAddress(guests[0].Email, guests[0].FullName), 0);
            bccd.AddBccs(guests.Skip(1).Select(g => new SG.EmailAddress(g.Email)).ToList(), 0);
            bccd.SetTemplateData(new Dictionary<string, object> { ["guest"] = guests[0].FullName, ["booking_ref"] = $"HV{731000 + guests[0].Id}", ["card_last4"] = "4242" }, 0);
            Add($"hotel-one-booking-bcc-to-all-{lang}", "halt", "the first guest's booking went to every guest in bcc", "hotel", lang, "dtd,en-keys,display", Json(bccd));

            var replyTo = new SG.SendGridMessage();
            replyTo.SetFrom(from);
            replyTo.SetGlobalSubject(lang == "en" ? "Spring offers" : "Offres de printemps");
            replyTo.AddContent("text/plain", lang == "en" ? "Book three nights, pay two." : "Réservez trois nuits, payez-en deux.");
            replyTo.SetReplyTo(new SG.EmailAddress(guests[3].Email, guests[3].FullName));
            replyTo.AddTo(new SG.EmailAddress("newsletter@" + from.Email.Split('@')[1]), 0);
            replyTo.AddBccs(guests.Select(g => new SG.EmailAddress(g.Email)).ToList(), 0);
            Add($"hotel-newsletter-reply-to-a-guest-{lang}", "halt", "reply_to was left as the guest who last wrote in: everyone sees that guest's address", "hotel", lang, "content,bcc", Json(replyTo));
        }

        // ------------------------------------------------------------ a city office (de)
        {
            var citizens = Humans.Make("de", 9, seed: 903, firstId: 700);
            var from = new SG.EmailAddress("buergerbuero@stadt-lindau.de", "Bürgerbüro Stadt Lindau");
            var roster = "Name;Geburtsdatum;Anschrift\n" + string.Concat(citizens.Skip(3).Take(4).Select(c => $"{c.FullName};{c.BirthDate};{c.Address}\n"));
            var withList = SG.MailHelper.CreateSingleEmailToMultipleRecipients(from, citizens.Take(3).Select(c => new SG.EmailAddress(c.Email, c.FullName)).ToList(),
                "Ihr Termin im Bürgerbüro", "Ihr Termin ist bestätigt.", "<p>Ihr Termin ist bestätigt.</p>", showAllRecipients: false);
            withList.AddAttachment("termine.csv", Base64(roster, Encoding.UTF8), "text/csv", "attachment");
            Add("city-office-export-attached", "halt", "the day's appointment export (names, dates of birth, addresses) was attached to a confirmation", "municipal", "de", "content,attachment-csv", Json(withList));

            var ok = SG.MailHelper.CreateSingleEmailToMultipleRecipients(from, citizens.Select(c => new SG.EmailAddress(c.Email, c.FullName)).ToList(),
                "Neue Öffnungszeiten", "Ab 1. März: Mo–Fr 8–16 Uhr.", "<p>Ab 1. März: Mo–Fr 8–16 Uhr.</p>", showAllRecipients: false);
            ok.AddContent("text/plain", "Standorte:\nRathaus, Bregenzer Straße 12, 88131 Lindau, Tel. 08382 918000\nBürgerbüro Insel, Maximilianstraße 3, 88131 Lindau, Tel. 08382 918100\n");
            Add("city-office-opening-hours-with-office-list", "pass", "a notice to all citizens (hidden recipients) listing the city's own offices and phone numbers", "municipal", "de", "content,bcc", Json(ok));

            var visible = SG.MailHelper.CreateSingleEmailToMultipleRecipients(from, citizens.Select(c => new SG.EmailAddress(c.Email, c.FullName)).ToList(),
                "Neue Öffnungszeiten", "Ab 1. März: Mo–Fr 8–16 Uhr.", "<p>Ab 1. März: Mo–Fr 8–16 Uhr.</p>", showAllRecipients: true);
            Add("city-office-all-citizens-in-to", "halt", "the same notice with every citizen visible in To", "municipal", "de", "content,to", Json(visible));
        }

        // ------------------------------------------------------------ a dental practice (ja, en): recall reminders
        foreach (var lang in new[] { "ja", "en" })
        {
            var patients = Humans.Make(lang, 8, seed: 904, firstId: 800);
            var from = new SG.EmailAddress(lang == "ja" ? "recall@aoba-dental.jp" : "recall@bridge-street-dental.co.uk", lang == "ja" ? "あおば歯科" : "Bridge Street Dental");
            List<Dictionary<string, string>> Subs(Func<int, Human> who) => patients.Select((_, i) => new Dictionary<string, string>
            {
                ["%patient%"] = who(i).FullName,
                ["%chart%"] = who(i).CustomerNo,
                ["%last_visit%"] = "2026-08-12",
            }).ToList();
            var subject = lang == "ja" ? "定期検診のお知らせ" : "Time for your check-up";
            var tos = patients.Select(p => new SG.EmailAddress(p.Email, p.FullName)).ToList();
            var ok = SG.MailHelper.CreateMultipleEmailsToMultipleRecipients(from, tos, patients.Select(_ => subject).ToList(),
                "%patient%\n%chart%\n%last_visit%", "<p>%patient%</p>", Subs(i => patients[i]));
            Add($"dental-recall-substitutions-{lang}", "pass", "each patient's own chart number in substitutions", "dental", lang, "subs,en-keys,display", Json(ok));

            var swapped = SG.MailHelper.CreateMultipleEmailsToMultipleRecipients(from, tos, patients.Select(_ => subject).ToList(),
                "%patient%\n%chart%", "<p>%patient%</p>", Subs(i => patients[i == 2 ? 5 : i == 5 ? 2 : i]));
            Add($"dental-two-patients-swapped-{lang}", "halt", "two patients' records were swapped", "dental", lang, "subs,en-keys,display", Json(swapped));

            var note = SG.MailHelper.CreateMultipleEmailsToMultipleRecipients(from, tos, patients.Select(_ => subject).ToList(),
                "%patient%\n%note%", "<p>%patient%</p><p>%note%</p>", patients.Select((p, i) => new Dictionary<string, string>
                {
                    ["%patient%"] = p.FullName,
                    ["%note%"] = lang == "ja" ? $"前回ご来院: {patients[(i + 1) % patients.Count].FullName}様と同日" : $"Booked together with {patients[(i + 1) % patients.Count].FullName}",
                }).ToList());
            Add($"dental-note-names-another-patient-{lang}", lang == "ja" ? "halt" : "halt", "a free-text note names another patient of the list", "dental", lang, "subs,en-keys,display", Json(note));
        }

        // ------------------------------------------------------------ school trip (fr): parents, siblings
        {
            var parents = Humans.Make("fr", 8, seed: 905, firstId: 900);
            var from = new SG.EmailAddress("vie-scolaire@ecole-des-pins.fr", "École des Pins");
            var msg = new SG.SendGridMessage();
            msg.SetFrom(from);
            msg.SetTemplateId("d-sortie");
            var p = 0;
            foreach (var (parent, i) in parents.Select((x, i) => (x, i)))
            {
                var children = i == 2 ? new[] { "Lina", "Tom" } : ["Eva"];
                foreach (var child in children)
                {
                    msg.AddTo(new SG.EmailAddress(parent.Email, parent.FullName), p);
                    msg.SetTemplateData(new Dictionary<string, object> { ["parent"] = parent.FullName, ["enfant"] = $"{child} {parent.Family}", ["sortie"] = "Musée d'histoire naturelle", ["montant"] = "12,00 €" }, p);
                    p++;
                }
            }

            Add("school-trip-one-parent-two-children", "pass", "a parent of two pupils receives two permission slips", "school", "fr", "dtd,native-keys,display", Json(msg));

            var both = new SG.SendGridMessage();
            both.SetFrom(from);
            both.SetTemplateId("d-sortie");
            both.AddTos([new SG.EmailAddress(parents[0].Email, parents[0].FullName), new SG.EmailAddress(parents[1].Email, $"Marc {parents[0].Family}")], 0);
            both.SetTemplateData(new Dictionary<string, object> { ["enfant"] = $"Eva {parents[0].Family}", ["sortie"] = "Musée", ["montant"] = "12,00 €" }, 0);
            both.AddTo(new SG.EmailAddress(parents[2].Email, parents[2].FullName), 1);
            both.SetTemplateData(new Dictionary<string, object> { ["enfant"] = $"Lina {parents[2].Family}", ["sortie"] = "Musée", ["montant"] = "12,00 €" }, 1);
            Add("school-trip-both-parents-in-to", "pass", "both parents of one pupil in To of the pupil's slip", "school", "fr", "dtd,native-keys,display", Json(both));
        }

        // ------------------------------------------------------------ wholesaler (ja): B2B with cc, and a pasted invoice
        {
            var buyers = Humans.Make("ja", 6, seed: 906, firstId: 1000);
            var from = new SG.EmailAddress("uriage@marusan-oroshi.co.jp", "丸三卸売株式会社");
            var msg = new SG.SendGridMessage();
            msg.SetFrom(from);
            msg.SetTemplateId("d-seikyu");
            for (var i = 0; i < buyers.Count; i++)
            {
                var b = buyers[i];
                var domain = $"{new[] { "asahi", "kita", "minami", "nishi", "higashi", "chuo" }[i]}-shoten.co.jp";
                msg.AddTo(new SG.EmailAddress($"{b.Email.Split('@')[0]}@{domain}", $"{b.FullName} 様"), i);
                msg.AddCc(new SG.EmailAddress($"keiri@{domain}", "経理ご担当者様"), i);
                msg.SetTemplateData(new Dictionary<string, object> { ["取引先名"] = $"{new[] { "旭", "北", "南", "西", "東", "中央" }[i]}商店株式会社", ["ご担当者"] = b.FullName, ["請求金額"] = $"¥{(i + 3) * 41800:N0}", ["請求番号"] = $"MS-{20270100 + i}" }, i);
            }

            Add("wholesale-invoice-cc-client-accounts", "pass", "each client's invoice, cc to that client's own accounts inbox", "b2b", "ja", "dtd,native-keys,display,cc", Json(msg));

            var pasted = SG.MailHelper.CreateSingleEmailToMultipleRecipients(from, buyers.Select(b => new SG.EmailAddress(b.Email, b.FullName)).ToList(),
                "価格改定のお知らせ", $"4月より一部商品の価格を改定いたします。\n\n（参考）ご請求書控え\nご担当: {buyers[4].FullName} 様\nご連絡先: {buyers[4].Mobile}\nご請求額: ¥312,400\n",
                "<p>4月より一部商品の価格を改定いたします。</p>", showAllRecipients: false);
            Add("wholesale-notice-with-pasted-invoice", "halt", "a price notice to all buyers still held one buyer's invoice copy (name, mobile)", "b2b", "ja", "content,bcc", Json(pasted));
        }

        // ------------------------------------------------------------ e-commerce (de): gift, two orders, order list
        {
            var buyers = Humans.Make("de", 8, seed: 907, firstId: 1100);
            var from = new SG.EmailAddress("shop@buecherstube-hansen.de", "Bücherstube Hansen");
            object Order(Human b, Human? giftTo) => new Dictionary<string, object>
            {
                ["bestellung"] = $"BH-{40000 + b.Id}",
                ["kunde"] = new Dictionary<string, object> { ["name"] = b.FullName, ["email"] = b.Email },
                ["lieferadresse"] = new Dictionary<string, object> { ["name"] = (giftTo ?? b).FullName, ["strasse"] = (giftTo ?? b).Street, ["ort"] = $"{(giftTo ?? b).Postal} {(giftTo ?? b).City}" },
                ["summe"] = "34,90 €",
            };
            var strangers = Humans.Make("de", 8, seed: 908, firstId: 1200);
            var gifts = SG.MailHelper.CreateMultipleTemplateEmailsToMultipleRecipients(from, buyers.Select(b => new SG.EmailAddress(b.Email, b.FullName)).ToList(),
                "d-bestellung", buyers.Select((b, i) => Order(b, i % 2 == 0 ? strangers[i] : null)).ToList());
            Add("bookshop-gift-orders-ship-elsewhere", "pass", "half the orders ship to someone else as a gift", "shop", "de", "dtd,native-keys,display,email-key", Json(gifts));

            var all = new Dictionary<string, object>
            {
                ["tagesbestellungen"] = buyers.Select(b => new Dictionary<string, object> { ["kunde"] = b.FullName, ["email"] = b.Email, ["summe"] = "34,90 €" }).ToList(),
            };
            var orderList = SG.MailHelper.CreateMultipleTemplateEmailsToMultipleRecipients(from, buyers.Select(b => new SG.EmailAddress(b.Email, b.FullName)).ToList(),
                "d-bestellung", buyers.Select(_ => (object)all).ToList());
            Add("bookshop-daily-order-list-to-customers", "halt", "the shop's daily order list (every customer, address, amount) went to every customer", "shop", "de", "dtd,native-keys,display", Json(orderList));
        }

        // ------------------------------------------------------------ bank (en): masked and unmasked numbers
        {
            var customers = Humans.Make("en", 8, seed: 909, firstId: 1300);
            var from = new SG.EmailAddress("alerts@thistle-bank.co.uk", "Thistle Bank");
            var ok = SG.MailHelper.CreateMultipleTemplateEmailsToMultipleRecipients(from, customers.Select(c => new SG.EmailAddress(c.Email, c.FullName)).ToList(),
                "d-statement", customers.Select(c => (object)new Dictionary<string, object> { ["customer"] = c.FullName, ["account_ending"] = c.Iban[^4..], ["statement_month"] = "January 2027" }).ToList());
            Add("bank-statement-ready", "pass", "each customer's own statement notice with the last four digits", "utility", "en", "dtd,en-keys,display", Json(ok));

            var header = SG.MailHelper.CreateMultipleTemplateEmailsToMultipleRecipients(from, customers.Select(c => new SG.EmailAddress(c.Email, c.FullName)).ToList(),
                "d-statement", customers.Select(c => (object)new Dictionary<string, object> { ["customer"] = c.FullName, ["statement_month"] = "January 2027" }).ToList());
            header.AddGlobalHeader("X-Account-Holder", customers[0].FullName + " <" + customers[0].Email + ">");
            Add("bank-debug-header-left-in", "halt", "a debugging header with the first customer's name and address went out on every mail", "utility", "en", "dtd,header", Json(header));

            var card = SG.MailHelper.CreateSingleEmailToMultipleRecipients(from, customers.Select(c => new SG.EmailAddress(c.Email)).ToList(),
                "Card security update", $"We have updated our card security.\nReference case: card {customers[2].Card} reported lost.",
                "<p>We have updated our card security.</p>", showAllRecipients: false);
            Add("bank-notice-with-a-card-number", "halt", "a notice to all customers quoted one customer's full card number", "utility", "en", "content,bcc", Json(card));
        }

        // ------------------------------------------------------------ sports club newsletter (ja): public figure
        {
            var fans = Humans.Make("ja", 10, seed: 910, firstId: 1400);
            fans[4] = fans[4] with { Family = "中村", Given = "憲剛" };
            var from = new SG.EmailAddress("news@kawasaki-fc-fanclub.jp", "フロンターレ ファンクラブ");
            var msg = SG.MailHelper.CreateMultipleTemplateEmailsToMultipleRecipients(from, fans.Select(f => new SG.EmailAddress(f.Email, f.Display)).ToList(),
                "d-news", fans.Select(f => (object)new Dictionary<string, object> { ["会員名"] = f.FullName, ["記事"] = "中村 憲剛 選手 引退セレモニーのお知らせ", ["会員番号"] = f.CustomerNo }).ToList());
            Add("fanclub-news-player-shares-a-members-name", "pass", "the news names a retired player; one member has the same name", "tickets", "ja", "dtd,native-keys,display", Json(msg));
        }

        // ------------------------------------------------------------ job of three chunks (en), spread across chunks
        {
            var members = Humans.Make("en", 9, seed: 911, firstId: 1500);
            var from = new SG.EmailAddress("membership@lakeside-rowing.org.uk", "Lakeside Rowing Club");
            string Chunk(int chunk, IEnumerable<(Human To, Human Data)> rows)
            {
                var list = rows.ToList();
                var msg = SG.MailHelper.CreateMultipleTemplateEmailsToMultipleRecipients(from, list.Select(r => new SG.EmailAddress(r.To.Email)).ToList(),
                    "d-renewal", list.Select(r => (object)new Dictionary<string, object> { ["member"] = r.Data.FullName, ["membership_no"] = r.Data.CustomerNo, ["fee"] = "£120.00" }).ToList());
                return Envelope(msg, "rowing-renewal-2027", chunk, 3);
            }

            Add("rowing-job-chunk-1", "pass", "chunk 1 of 3: no display names, so member 9 getting member 1's renewal cannot be seen yet", "club", "en", "job,dtd",
                Chunk(1, members.Skip(1).Take(2).Select(m => (m, m)).Append((members[8], members[0]))));
            Add("rowing-job-chunk-2", "halt", "chunk 2 sends member 1 their renewal, which chunk 1 already sent to member 9", "club", "en", "job,dtd",
                Chunk(2, members.Take(1).Concat(members.Skip(3).Take(3)).Select(m => (m, m))));
            Add("rowing-job-chunk-3", "halt", "chunk 3 sends member 9 their own renewal, after chunk 1 sent them member 1's", "club", "en", "job,dtd",
                Chunk(3, members.Skip(6).Take(3).Select(m => (m, m))));
        }

        return list;
    }
}
