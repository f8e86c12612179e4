using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SG = SendGrid.Helpers.Mail;

namespace MisSend.TestSupport.Corpus.Wild;

/// <summary>One labelled file of the corpus: what a sender would enqueue, what the detector must decide, and why.</summary>
/// <param name="Shape">How the batch is built: "dtd" (dynamic_template_data) or "subs" (substitutions), keys, display names, owner e-mail key.</param>
/// <param name="HeldOut">Written before the detector was tuned, and never tuned on: its score is reported on its own.</param>
public sealed record LabelledBatch(string File, string Label, string Reason, string Industry, string Language, string Shape, bool HeldOut, string Json)
{
    public bool Leaky => Label == "halt";

    public override string ToString() => File;
}

/// <summary>How a batch builder shaped its merge data.</summary>
/// <param name="NativeKeys">Keys in the language of the mail (氏名, Kundennummer, nom) rather than English.</param>
/// <param name="Substitutions">Legacy substitutions (-name-) rather than dynamic_template_data.</param>
/// <param name="DisplayNames">To addresses carry the customer's display name.</param>
/// <param name="OwnerEmail">The merge data repeats the customer's own e-mail address.</param>
public sealed record Shape(bool NativeKeys, bool Substitutions, bool DisplayNames, bool OwnerEmail)
{
    public static Shape Of(int variant) => new(variant % 2 == 1, variant % 3 == 2, variant % 4 != 3, variant % 5 < 3);

    public override string ToString() =>
        $"{(Substitutions ? "subs" : "dtd")},{(NativeKeys ? "native-keys" : "en-keys")},{(DisplayNames ? "display" : "no-display")},{(OwnerEmail ? "email-key" : "no-email-key")}";
}

/// <summary>What a sender of one industry says in one language, and the merge keys its developers chose.</summary>
public sealed record Sender(string Email, string Name, string Subject, string Body, string Footer);

/// <summary>Builders shared by the corpus scenarios: merge data per industry and language, SendGrid helper calls, files.</summary>
public static class Kit
{
    public static readonly string[] Languages = ["ja", "en", "de", "fr"];

    public static readonly string[] Industries = ["tickets", "clinic", "school", "utility", "b2b", "shop"];

    /// <summary>Merge keys: [canonical] = (en, ja, de, fr).</summary>
    private static readonly Dictionary<string, string[]> Keys = new()
    {
        ["name"] = ["name", "氏名", "name", "nom"],
        ["email"] = ["email", "メールアドレス", "email", "courriel"],
        ["member"] = ["member_no", "会員番号", "mitgliedsnummer", "numero_adherent"],
        ["seat"] = ["seat", "席種", "platz", "place"],
        ["amount"] = ["amount", "金額", "betrag", "montant"],
        ["due"] = ["due_date", "支払期限", "faellig_am", "echeance"],
        ["event"] = ["event", "イベント", "veranstaltung", "evenement"],
        ["patient"] = ["patient_name", "患者名", "patient", "nom_patient"],
        ["patient_id"] = ["patient_id", "診察券番号", "patientennummer", "numero_patient"],
        ["appointment"] = ["appointment", "予約日時", "termin", "rendez_vous"],
        ["doctor"] = ["doctor", "担当医", "arzt", "medecin"],
        ["guardian"] = ["guardian_name", "保護者氏名", "erziehungsberechtigter", "nom_parent"],
        ["student"] = ["student_name", "生徒氏名", "schueler_name", "nom_eleve"],
        ["class"] = ["class", "クラス", "klasse", "classe"],
        ["grade"] = ["math_grade", "数学", "note_mathe", "note_maths"],
        ["teacher"] = ["teacher", "担任", "lehrer", "enseignant"],
        ["contract"] = ["contract_no", "お客様番号", "vertragsnummer", "numero_contrat"],
        ["iban"] = ["iban", "口座", "iban", "iban"],
        ["address"] = ["address", "ご住所", "anschrift", "adresse"],
        ["company"] = ["company_name", "会社名", "firma", "societe"],
        ["contact"] = ["contact_name", "ご担当者名", "ansprechpartner", "nom_contact"],
        ["invoice"] = ["invoice_no", "請求書番号", "rechnungsnummer", "numero_facture"],
        ["order"] = ["order_no", "注文番号", "bestellnummer", "numero_commande"],
        ["items"] = ["items", "商品", "artikel", "articles"],
        ["ship_name"] = ["ship_to_name", "お届け先氏名", "lieferung_name", "livraison_nom"],
        ["ship_address"] = ["ship_to_address", "お届け先住所", "lieferung_adresse", "livraison_adresse"],
        ["phone"] = ["phone", "電話番号", "telefon", "telephone"],
        ["preheader"] = ["preheader", "プリヘッダー", "vorschau", "preheader"],
        ["greeting"] = ["greeting", "宛名挨拶", "anrede", "salutation"],
    };

    public static string Key(string canonical, string lang, Shape shape)
    {
        var keys = Keys[canonical];
        return shape.NativeKeys ? keys[lang switch { "ja" => 1, "de" => 2, "fr" => 3, _ => 0 }] : keys[0];
    }

    public static Sender SenderOf(string industry, string lang) => (industry, lang) switch
    {
        ("tickets", "ja") => new("ticket@urawa-stadium-tickets.jp", "浦和スタジアム チケットセンター", "2027シーズンチケット お支払いのご案内", "お支払い期限までにお手続きをお願いいたします。", "チケットセンター 048-812-3456（平日10時〜17時） support@urawa-stadium-tickets.jp"),
        ("tickets", "en") => new("boxoffice@riverside-arena.co.uk", "Riverside Arena Box Office", "Your 2027 season ticket: payment due", "Please complete your payment before the due date.", "Riverside Arena Box Office, 0161 496 0000, help@riverside-arena.co.uk"),
        ("tickets", "de") => new("tickets@stadion-nordkurve.de", "Nordkurve Ticketservice", "Ihre Dauerkarte 2027: Zahlungsinformationen", "Bitte überweisen Sie den Betrag bis zum Fälligkeitsdatum.", "Ticketservice Nordkurve GmbH, Tel. 030 901820, service@stadion-nordkurve.de"),
        ("tickets", "fr") => new("billetterie@stade-ocean.fr", "Billetterie du Stade Océan", "Votre abonnement 2027 : échéance de paiement", "Merci de régler votre abonnement avant l'échéance.", "Billetterie du Stade Océan, 02 40 00 00 00, contact@stade-ocean.fr"),
        ("clinic", "ja") => new("yoyaku@sakura-naika.jp", "さくら内科クリニック", "ご予約確認のお知らせ", "ご予約の日時をご確認ください。", "さくら内科クリニック 03-3123-4567 受付 9:00〜18:00"),
        ("clinic", "en") => new("appointments@hillside-surgery.co.uk", "Hillside Surgery", "Your appointment reminder", "Please arrive ten minutes early.", "Hillside Surgery, 020 7946 0000, reception@hillside-surgery.co.uk"),
        ("clinic", "de") => new("termine@praxis-lindenhof.de", "Praxis am Lindenhof", "Ihre Terminbestätigung", "Bitte bringen Sie Ihre Versichertenkarte mit.", "Praxis am Lindenhof, Tel. 089 2180 0, praxis@praxis-lindenhof.de"),
        ("clinic", "fr") => new("rdv@cabinet-medical-lumiere.fr", "Cabinet médical Lumière", "Rappel de votre rendez-vous", "Merci de vous présenter dix minutes avant l'heure.", "Cabinet médical Lumière, 01 42 00 00 00, accueil@cabinet-medical-lumiere.fr"),
        ("school", "ja") => new("office@midori-gakuen.ed.jp", "みどり学園 事務室", "1学期 成績のお知らせ", "1学期の成績をお知らせいたします。", "みどり学園 事務室 045-123-4567"),
        ("school", "en") => new("office@oakfield-academy.org.uk", "Oakfield Academy", "End of term report", "Please find your child's end of term report below.", "Oakfield Academy, 0113 496 0000, office@oakfield-academy.org.uk"),
        ("school", "de") => new("sekretariat@gymnasium-am-see.de", "Gymnasium am See", "Halbjahreszeugnis", "anbei die Noten des Halbjahres.", "Gymnasium am See, Sekretariat, Tel. 0221 123450"),
        ("school", "fr") => new("secretariat@college-jean-moulin.fr", "Collège Jean Moulin", "Bulletin du premier trimestre", "Veuillez trouver ci-dessous le bulletin du trimestre.", "Collège Jean Moulin, 04 78 00 00 00"),
        ("utility", "ja") => new("billing@tokai-gas.co.jp", "東海ガス お客様センター", "ガス料金のご請求", "今月のご請求額をお知らせします。", "東海ガス お客様センター 0120-123-456"),
        ("utility", "en") => new("billing@northern-water.co.uk", "Northern Water", "Your water bill is ready", "Your latest bill is ready. The amount will be collected by Direct Debit.", "Northern Water, 0800 123 4567, billing@northern-water.co.uk"),
        ("utility", "de") => new("rechnung@stadtwerke-rheinfeld.de", "Stadtwerke Rheinfeld", "Ihre Stromrechnung", "der Rechnungsbetrag wird per SEPA-Lastschrift eingezogen.", "Stadtwerke Rheinfeld GmbH, Tel. 0800 1234567, IBAN DE89 3704 0044 0532 0130 00"),
        ("utility", "fr") => new("facture@energie-val-de-loire.fr", "Énergie Val de Loire", "Votre facture d'électricité", "Le montant sera prélevé sur votre compte.", "Énergie Val de Loire, 09 69 00 00 00, service-client@energie-val-de-loire.fr"),
        ("b2b", "ja") => new("seikyu@kanda-kogyo.co.jp", "神田工業株式会社 経理部", "請求書送付のご案内", "今月分の請求書をお送りいたします。", "神田工業株式会社 経理部 03-5200-1234 keiri@kanda-kogyo.co.jp"),
        ("b2b", "en") => new("invoices@brightline-logistics.com", "Brightline Logistics Accounts", "Invoice for your account", "Please find your invoice for this month.", "Brightline Logistics Ltd, accounts@brightline-logistics.com"),
        ("b2b", "de") => new("buchhaltung@mayer-maschinenbau.de", "Mayer Maschinenbau Buchhaltung", "Ihre Rechnung", "anbei erhalten Sie unsere Rechnung.", "Mayer Maschinenbau GmbH, Buchhaltung, IBAN DE44 5001 0517 5407 3249 31"),
        ("b2b", "fr") => new("facturation@atelier-durand.fr", "Atelier Durand Facturation", "Votre facture", "Veuillez trouver ci-joint votre facture.", "Atelier Durand SARL, comptabilite@atelier-durand.fr"),
        ("shop", "ja") => new("order@hanamizuki-shop.jp", "はなみずき雑貨店", "ご注文ありがとうございます", "ご注文の内容をご確認ください。", "はなみずき雑貨店 support@hanamizuki-shop.jp"),
        ("shop", "en") => new("orders@maple-and-thread.com", "Maple & Thread", "Your order confirmation", "Thanks for your order! Here is what you bought.", "Maple & Thread, help@maple-and-thread.com"),
        ("shop", "de") => new("bestellung@kaffeerösterei-berg.de", "Kaffeerösterei Berg", "Ihre Bestellbestätigung", "vielen Dank für Ihre Bestellung.", "Kaffeerösterei Berg, kundenservice@kaffeeroesterei-berg.de"),
        ("shop", "fr") => new("commandes@la-boite-a-the.fr", "La Boîte à Thé", "Confirmation de votre commande", "Merci pour votre commande.", "La Boîte à Thé, service-client@la-boite-a-the.fr"),
        _ => throw new ArgumentException($"{industry}/{lang}"),
    };

    private static readonly Dictionary<string, string[]> ChildNames = new()
    {
        ["ja"] = ["陽翔", "凛", "湊", "紬", "蒼"],
        ["en"] = ["Noah", "Ava", "Leo", "Isla", "Alfie"],
        ["de"] = ["Emil", "Mia", "Ben", "Ella", "Noah"],
        ["fr"] = ["Jade", "Léo", "Louise", "Raphaël", "Alice"],
    };

    /// <summary>The merge data a correct batch builder would give <paramref name="h"/> in <paramref name="industry"/>.</summary>
    public static JsonObject Data(string industry, Human h, Shape shape, int index = 0, Human? other = null)
    {
        var lang = h.Lang;
        string K(string c) => Key(c, lang, shape);
        var d = new JsonObject();
        var amount = lang switch { "ja" => $"¥{(h.Id * 1370 % 90 + 10) * 1000:N0}", "en" => $"£{h.Id * 13 % 400 + 40}.00", _ => $"{h.Id * 13 % 400 + 40},00 €" };
        var due = lang switch { "ja" => "2027年1月15日", "en" => "15 January 2027", "de" => "15.01.2027", _ => "15/01/2027" };
        switch (industry)
        {
            case "tickets":
                d[K("name")] = h.FullName;
                d[K("member")] = h.CustomerNo;
                d[K("seat")] = (h.Id % 3) switch { 0 => lang == "ja" ? "S指定席" : "Block A", 1 => lang == "ja" ? "ゴール裏自由席" : "Block C", _ => lang == "ja" ? "SS指定席" : "VIP" };
                d[K("amount")] = amount;
                d[K("due")] = due;
                d[K("event")] = lang == "ja" ? "2027シーズン ホーム全19試合" : lang == "de" ? "Saison 2027 Heimspiele" : lang == "fr" ? "Saison 2027" : "2027 Season";
                break;
            case "clinic":
                d[K("patient")] = h.FullName;
                d[K("patient_id")] = h.CustomerNo;
                d[K("appointment")] = lang == "ja" ? $"2027年2月{h.Id % 27 + 1}日 10:30" : $"2027-02-{h.Id % 27 + 1:00} 10:30";
                d[K("doctor")] = lang switch { "ja" => "院長 山下 浩", "en" => "Dr Helen Carter", "de" => "Dr. med. Petra Lang", _ => "Dr Anne Rousseau" };
                break;
            case "school":
                d[K("guardian")] = h.FullName;
                var child = other?.Given ?? ChildNames[lang][h.Id % ChildNames[lang].Length];
                d[K("student")] = lang == "ja" ? $"{h.Family} {child}" : $"{child} {h.Family}";
                d[K("class")] = $"{h.Id % 3 + 1}-{(char)('A' + h.Id % 4)}";
                d[K("grade")] = lang == "de" ? $"{h.Id % 5 + 1}" : $"{60 + h.Id * 7 % 40}";
                d[K("teacher")] = lang switch { "ja" => "田村 恵子", "en" => "Mrs Patel", "de" => "Frau Bergmann", _ => "Mme Lambert" };
                break;
            case "utility":
                d[K("name")] = h.FullName;
                d[K("contract")] = h.CustomerNo;
                d[K("address")] = h.Address;
                d[K("amount")] = amount;
                d[K("due")] = due;
                if (lang != "ja")
                {
                    d[K("iban")] = h.Iban;
                }

                break;
            case "b2b":
                d[K("company")] = lang switch { "ja" => $"{h.Family}商事株式会社", "en" => $"{h.Family} Supplies Ltd", "de" => $"{h.Family} Handels GmbH", _ => $"{h.Family} Distribution SARL" };
                d[K("contact")] = h.FullName;
                d[K("invoice")] = $"INV-2027-{1000 + h.Id:0000}";
                d[K("amount")] = amount;
                d[K("due")] = due;
                break;
            case "shop":
                d[K("order")] = $"{(lang == "ja" ? "HM" : "MT")}-{880000 + h.Id * 31}";
                d[K("name")] = h.FullName;
                d[K("items")] = lang switch { "ja" => "有田焼マグカップ ×2", "en" => "Linen tea towel x2", "de" => "Espresso-Bohnen 1 kg", _ => "Thé vert sencha 100 g" };
                d[K("amount")] = amount;
                d[K("ship_address")] = h.Address;
                break;
        }

        if (shape.OwnerEmail)
        {
            d[K("email")] = h.Email;
        }

        return d;
    }

    /// <summary>Legacy substitutions for the same data: flat, every value a string, keys as tags ("-name-").</summary>
    public static Dictionary<string, string> Substitutions(JsonObject data) =>
        data.ToDictionary(kv => $"-{kv.Key}-", kv => kv.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : kv.Value?.ToJsonString() ?? "");

    public static SG.EmailAddress From(Sender s) => new(s.Email, s.Name);

    public static SG.EmailAddress To(Human h, Shape shape) => shape.DisplayNames ? new(h.Email, h.Display) : new(h.Email);

    /// <summary>One personalization per person, as <c>MailHelper</c> builds it, with each person's own data (or <paramref name="dataOf"/>'s).</summary>
    public static SG.SendGridMessage PerRecipient(string industry, string lang, IReadOnlyList<Human> people, Shape shape, Func<int, Human>? dataOf = null,
        Func<int, Human, JsonObject, JsonObject>? adjust = null)
    {
        var sender = SenderOf(industry, lang);
        var data = people.Select((p, i) =>
        {
            var d = Data(industry, dataOf?.Invoke(i) ?? p, shape, i);
            return adjust?.Invoke(i, dataOf?.Invoke(i) ?? p, d) ?? d;
        }).ToList();
        SG.SendGridMessage msg;
        if (shape.Substitutions)
        {
            msg = SG.MailHelper.CreateMultipleEmailsToMultipleRecipients(From(sender), people.Select(p => To(p, shape)).ToList(),
                people.Select(_ => sender.Subject).ToList(), Plain(sender, data[0]), Html(sender, data[0]), data.Select(Substitutions).ToList());
        }
        else
        {
            msg = SG.MailHelper.CreateMultipleTemplateEmailsToMultipleRecipients(From(sender), people.Select(p => To(p, shape)).ToList(),
                TemplateId(industry), data.Select(d => (object)ToPlain(d)).ToList());
            msg.SetGlobalSubject(sender.Subject);
        }

        return msg;
    }

    /// <summary>The plain-text template: merge tags only, as a template holds them.</summary>
    public static string Plain(Sender s, JsonObject data) =>
        string.Join("\n", data.Select(kv => $"{kv.Key}: -{kv.Key}-")) + "\n\n" + s.Body + "\n--\n" + s.Footer;

    public static string Html(Sender s, JsonObject data) =>
        "<table>" + string.Concat(data.Select(kv => $"<tr><td>{kv.Key}</td><td>-{kv.Key}-</td></tr>")) + $"</table><p>{s.Body}</p><hr><p>{s.Footer}</p>";

    public static string TemplateId(string industry) => "d-" + Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(industry)));

    /// <summary>A JsonObject as the plain .NET object the SendGrid helpers serialize (nested objects and arrays kept).</summary>
    public static object ToPlain(JsonNode? node) => node switch
    {
        JsonObject o => o.ToDictionary(kv => kv.Key, kv => ToPlain(kv.Value)),
        JsonArray a => a.Select(ToPlain).ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v => v.ToJsonString(),
        _ => "",
    };

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Json(SG.SendGridMessage msg) => JsonNode.Parse(msg.Serialize())!.ToJsonString(JsonOptions);

    public static string Envelope(SG.SendGridMessage msg, string jobId, int chunk, int chunkCount, JsonObject? policy = null)
    {
        var e = new JsonObject { ["jobId"] = jobId, ["chunk"] = chunk, ["chunkCount"] = chunkCount, ["mail"] = JsonNode.Parse(msg.Serialize()) };
        if (policy is not null)
        {
            e["policy"] = policy.DeepClone();
        }

        return e.ToJsonString(JsonOptions);
    }

    public static string Base64(string text, Encoding encoding, bool bom = false) =>
        Convert.ToBase64String([.. bom ? encoding.GetPreamble() : [], .. encoding.GetBytes(text)]);

    public static Encoding ShiftJis
    {
        get
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(932);
        }
    }
}
