using System.Text.RegularExpressions;
using MisSend.Core.Batches;
using MisSend.Core.Detection.Recognizers;
using MisSend.Core.Text;

namespace MisSend.Core.Detection;

/// <summary>What one merge key says, worked out once per batch however many personalizations repeat it.</summary>
/// <param name="Category">What the key alone says the field holds, or null when only the value's shape can tell.</param>
/// <param name="Role">Who the field's record is, seen from the recipient; null for the mail's own subject.</param>
/// <param name="RecordPath">Fields with the same path belong to one record (one person): "", "customer", "orders[2]", "@Dependant".</param>
/// <param name="Listed">The record is one row of a list (a path with an index): each row may be a different person.</param>
public sealed record KeyInfo(string Key, DataCategory? Category, PartyRole? Role, string RecordPath, bool Listed, bool PolicyPersonal, bool PolicySubjectKey)
{
    /// <summary>The key holds a surname only ("sei", "姓", "last_name", "Nachname"): 長谷川 or 五十嵐 under it is no full name.</summary>
    public bool Surname { get; } = Category == DataCategory.Name && FieldClassifier.IsSurnameKey(Key);

    /// <summary>"member_no=": numbers are kept per kind, so that a member number and an order number never collide.</summary>
    public string NumberPrefix { get; } = Key[(Key.LastIndexOf('.') + 1)..].ToLowerInvariant() + "=";
}

/// <summary>
/// Reads merge keys in Japanese, English, German and French: what a field holds (its category) and whose it is (its
/// role). A key names a role by words like 保護者/guardian, 生徒/student, お届け先/ship_to, ご請求先/billing, 会社/company.
/// </summary>
public static partial class FieldClassifier
{
    public static DataCategory Classify(string key, string value) => Classify(Describe(key, BatchPolicy.Default).Category, value, TextNormalizer.Normalize(value));

    /// <summary>Classifies a value whose key was described already: the value's shape can say more than the key.</summary>
    /// <param name="names">The value as a plausible person's name, or null (a per-scan cache: names repeat); default parses it.</param>
    internal static DataCategory Classify(DataCategory? keyCategory, string value, string normalized, Func<string, NameValue?>? names = null)
    {
        if (normalized.Contains('@') && LooksLikeEmail(value))
        {
            return DataCategory.Email;
        }

        if (keyCategory is { } category)
        {
            // "member": "M-20417" under a person noun is the person's number, not their name.
            return category != DataCategory.Name || (names is null ? NameValue.IsPlausible(value) : names(value) is not null) ? category
                : PhoneShape().IsMatch(normalized) ? DataCategory.Phone
                : normalized.Length >= Thresholds.MinIdLength && normalized.Any(char.IsAsciiDigit) && !IsMoneyOrDate(normalized) && !TellsDateOrTime(normalized) ? DataCategory.MemberId
                : DataCategory.Other;
        }

        if (normalized.Length >= 15 && char.IsAsciiLetter(normalized[0]) && char.IsAsciiLetter(normalized[1]) && char.IsAsciiDigit(normalized[2]) && Iban.IsValid(normalized))
        {
            return DataCategory.BankAccount;
        }

        if (PhoneShape().IsMatch(normalized))
        {
            return DataCategory.Phone;
        }

        return value.Contains('〒') && PostalShape().IsMatch(normalized) ? DataCategory.PostalCode : DataCategory.Other;
    }

    public static KeyInfo Describe(string key, BatchPolicy policy)
    {
        var lastDot = LastSegmentStart(key);
        var last = Clean(key[lastDot..]);
        var prefix = lastDot > 0 ? key[..(lastDot - 1)] : "";
        var listed = prefix.Contains('[');
        var words = Words(key);
        var role = DeclaredRole(key, policy) ?? InferRole(words, last);
        // "guardian", "Erziehungsberechtigter", "お届け先": a key that only names the party holds the party's name.
        var category = KeyCategory(last, words)
            ?? (role is PartyRole.Household or PartyRole.Dependant or PartyRole.ShipTo or PartyRole.Billing && InferRole(Words(last), last) == role ? DataCategory.Name : null);
        if (IsThing(words) && category is DataCategory.Name or DataCategory.Address or DataCategory.Phone or DataCategory.Email && !IsHolderKey(last))
        {
            // product.name, venue_address, store_tel: a thing or a place of the sender's, not a person. The holder of a
            // thing ("bank.kontoinhaber", "card.holder") is the customer who holds it, never the sender's.
            role = PartyRole.Staff;
        }

        var path = role is null ? (listed ? prefix : "") : prefix.Length > 0 ? prefix : "@" + role;
        var personal = policy.PersonalFields.Any(f => Matches(key, f));
        var subjectKey = policy.SubjectKeyField is { } sk && Matches(key, sk);
        return new KeyInfo(key, category, role, path, listed, personal, subjectKey);
    }

    private static bool Matches(string key, string declared) =>
        string.Equals(key, declared, StringComparison.OrdinalIgnoreCase)
        || string.Equals(Clean(key[LastSegmentStart(key)..]), declared.Trim('-', '%', '{', '}', ' ', ':'), StringComparison.OrdinalIgnoreCase)
        || key.StartsWith(declared + ".", StringComparison.OrdinalIgnoreCase);

    private static PartyRole? DeclaredRole(string key, BatchPolicy policy)
    {
        PartyRole? best = null;
        var bestLength = -1;
        foreach (var (declared, role) in policy.Relationships)
        {
            if (declared.Length > bestLength && (Matches(key, declared) || key.StartsWith(declared, StringComparison.OrdinalIgnoreCase)))
            {
                (best, bestLength) = (role, declared.Length);
            }
        }

        return best;
    }

    /// <summary>What the key's last segment says the field holds.</summary>
    internal static DataCategory? KeyCategory(string last, IReadOnlyCollection<string> words)
    {
        if (Has(last, "病名", "傷病", "診断", "症状", "既往", "病歴", "処方", "服薬", "障害", "アレルギー", "持病", "diagnos", "condition", "disease", "illness",
                "medical", "medication", "prescription", "allerg", "symptom", "befund", "krankheit", "erkrankung", "medikament", "maladie",
                "patholog", "traitement", "behinderung", "handicap", "disability"))
        {
            return DataCategory.Health;
        }

        // "cardholderName", "Kontoinhaber", "口座名義": the holder of a card or account is a person, named by the field.
        if (IsHolderKey(last))
        {
            return DataCategory.Name;
        }

        // Romanized Japanese keys (koza, kokyaku_mei, denwa) are as common in Japanese systems as kanji ones.
        if (Has(last, "iban", "口座", "konto", "bank_account", "bankaccount", "rib", "compte", "koza", "kouza", "rekening", "conto_corrente", "cuenta"))
        {
            return DataCategory.BankAccount;
        }

        if (Has(last, "card", "カード", "karte", "carte") && !Has(last, "type", "brand", "種類", "種別"))
        {
            return DataCategory.CardNumber;
        }

        if (Has(last, "email", "e-mail", "e_mail", "mail", "メール", "courriel") && !Has(last, "magazine", "マガジン"))
        {
            return DataCategory.Email;
        }

        if (Has(last, "birth", "dob", "生年月日", "誕生", "geburt", "naissance", "생년월일", "생일", "出生", "nascita", "nacimiento", "geboorte", "seinengappi"))
        {
            return DataCategory.BirthDate;
        }

        if (Has(last, "phone", "tel", "mobile", "cell", "電話", "携帯", "fax", "handy", "portable", "전화", "휴대폰", "电话", "手机", "mobiel", "movil", "móvil",
                "denwa", "keitai"))
        {
            return DataCategory.Phone;
        }

        if (Has(last, "zip", "postal", "postcode", "郵便", "〒", "plz") || words.Contains("cp"))
        {
            return DataCategory.PostalCode;
        }

        if (Has(last, "address", "addr", "street", "住所", "所在地", "番地", "anschrift", "straße", "strasse", "adres", "rue", "주소", "地址", "indirizzo",
                "direccion", "dirección", "jusho", "juusho"))
        {
            return DataCategory.Address;
        }

        if (Has(last, "amount", "price", "total", "fee", "charge", "balance", "金額", "料金", "合計", "代金", "請求額", "支払額", "残高", "税",
                "betrag", "summe", "preis", "montant", "prix", "solde", "due_amount"))
        {
            return DataCategory.Amount;
        }

        if (IsNameKey(last) || words.Any(w => w is "name" or "nom" or "prenom" or "prénom" or "vorname" or "nachname" or "fullname" or "namen"
                // Italian, Spanish, Dutch, and romanized Japanese (kokyaku_mei, shimei, onamae).
                or "nome" or "cognome" or "nominativo" or "nombre" or "apellido" or "apellidos" or "naam" or "voornaam" or "achternaam"
                or "mei" or "shimei" or "simei" or "namae" or "onamae"))
        {
            return DataCategory.Name;
        }

        if (Has(last, "member", "customer", "account", "client", "patient", "会員", "顧客", "お客様番号", "番号", "患者", "診察券", "学籍", "受験",
                "契約", "証券", "userid", "user_id", "kunden", "mitglied", "vertrag", "versichert", "numéro", "numero", "adhérent", "adherent",
                "policy", "contract", "student_id", "studentid", "_no", "number", "nummer", "_id", "번호", "号码", "编号", "会员号",
                // A national tax or identity code: codice fiscale, DNI/NIE/NIF, BSN, マイナンバー.
                "codice_fiscale", "codicefiscale", "tessera", "マイナンバー", "個人番号", "bango", "bangou")
            || last is "id" or "no" or "nr" or "cf" or "dni" or "nie" or "nif" or "bsn")
        {
            return DataCategory.MemberId;
        }

        return Has(last, "seat", "席") ? DataCategory.Seat : null;
    }

    internal static bool IsSurnameKey(string key)
    {
        var bare = Clean(key[LastSegmentStart(key)..]).Replace("_", "").Replace("-", "").Replace(" ", "");
        return bare is "sei" or "myouji" or "myoji" or "姓" or "名字" or "苗字" or "surname" or "lastname" or "familyname" or "nachname" or "familienname"
            or "cognome" or "apellido" or "achternaam" or "성";
    }

    private static bool IsHolderKey(string last) => Has(last, "holder", "inhaber", "titulaire", "intestatario", "titular", "houder", "名義", "예금주");

    private static bool IsNameKey(string k)
    {
        if (Has(k, "氏名", "名前", "フリガナ", "ふりがな", "カナ", "かな", "holder", "guest", "宛名", "会員名", "顧客名", "購入者", "注文者", "契約者", "申込者",
                "患者名", "生徒名", "児童名", "保護者名", "お客様名", "担当者名", "名義"))
        {
            return true;
        }

        // 회원명, 고객명, 이름, 성함: Korean keys for a person's name (명 is 名).
        if (Has(k, "이름", "성명", "성함", "회원명", "고객명", "승객명", "예약자명", "환자명", "학생명"))
        {
            return true;
        }

        // 社員名, 利用者名, 受講者名: a Japanese key ending in 名 names a person unless it names a thing (商品名, 会社名 are read as such).
        if (k.Length >= 2 && k.EndsWith('名') && k[^2] is >= '\u4E00' and <= '\u9FFF' && !Has(k, "件名", "品名", "商品名", "車名", "店名", "店舗名", "会場名", "施設名", "会社名", "法人名", "団体名", "学校名", "病院名", "銀行名", "支店名", "口座名"))
        {
            return true;
        }

        var bare = k.Replace("_", "").Replace("-", "").Replace(".", "").Replace(" ", "");
        // "customerKana", "name_yomi": a name's reading is the name.
        return (bare.EndsWith("name", StringComparison.Ordinal) || bare.EndsWith("kana", StringComparison.Ordinal) || bare.EndsWith("yomi", StringComparison.Ordinal)
                || bare.EndsWith("furigana", StringComparison.Ordinal)) && !bare.EndsWith("username", StringComparison.Ordinal)
            || bare is "sei" or "mei" or "seimei" or "kana" or "姓" or "名" or "名字" or "苗字" or "vorname" or "nachname" or "nom" or "prénom"
                or "prenom" or "surname" or "fullname" or "kunde" or "client" or "patient" or "student" or "guardian" or "parent" or "recipient"
                or "empfänger" or "destinataire" or "titulaire" or "inhaber" or "kontoinhaber" or "holder"
                // A key that is only a person noun holds that person's name: "child", "enfant", "Schüler", "生徒", "保護者".
                or "child" or "pupil" or "member" or "customer" or "guest" or "buyer" or "employee" or "enfant" or "eleve" or "élève"
                or "passenger" or "traveller" or "traveler" or "attendee" or "participant" or "passager" or "fahrgast" or "teilnehmer"
                or "parent1" or "parent2" or "adherent" or "adhérent" or "acheteur" or "schueler" or "schüler" or "kind" or "mitglied"
                or "kaeufer" or "käufer" or "mitarbeiter" or "socio" or "iscritto" or "cliente" or "paziente" or "alunno" or "lid" or "deelnemer"
                or "vrijwilliger" or "ansprechpartner" or "interlocuteur" or "contact" or "kontakt" or "担当者" or "ご担当者" or "生徒" or "児童" or "保護者" or "会員" or "患者" or "顧客" or "購入者" or "社員" or "お子様";
    }

    private static readonly string[] ThingWords =
    [
        "product", "item", "goods", "plan", "course", "event", "match", "game", "team", "venue", "stadium", "store", "shop", "branch", "school",
        "hospital", "clinic", "title", "file", "menu", "campaign", "ticket", "seat", "brand", "category", "facility", "room", "hotel", "airline", "bank",
        "flight", "produkt", "artikel", "veranstaltung", "tarif", "produit", "article", "evenement", "événement", "offre", "magasin", "agence",
        "filiale", "praxis", "klinik", "schule", "ecole", "école", "vehicle", "car", "fahrzeug", "voiture", "vehicule", "véhicule",
    ];

    private static readonly string[] ThingWordsJa =
    [
        "商品", "品名", "品目", "プラン", "コース", "イベント", "試合", "チーム", "会場", "店舗", "支店", "営業所", "学校", "病院", "医院", "クリニック",
        "講座", "件名", "施設", "ホテル", "席種", "券種", "対戦", "劇場", "公演", "銀行", "金融機関", "車両", "車名", "車種",
    ];

    private static bool IsThing(IReadOnlyCollection<string> words) =>
        words.Any(w => ThingWords.Contains(w) || (w.Length > 3 && w[^1] == 's' && ThingWords.Contains(w[..^1])) // "items", "products"
            || ThingWordsJa.Any(j => w.Contains(j, StringComparison.Ordinal)));

    private static PartyRole? InferRole(IReadOnlyCollection<string> words, string last)
    {
        bool Any(params string[] candidates) => words.Any(w => candidates.Contains(w));
        bool AnyJa(params string[] candidates) => words.Any(w => candidates.Any(c => w.Contains(c, StringComparison.Ordinal)));

        if (Any("player", "athlete", "speaker", "artist", "author", "performer", "coach", "chairman", "president", "ceo", "celebrity", "lecturer",
                "spieler", "trainer", "redner", "künstler", "joueur", "entraineur", "entraîneur", "conferencier", "conférencier", "auteur", "artiste")
            || AnyJa("選手", "監督", "講師", "出演", "著者", "会長", "社長", "代表取締役", "アーティスト", "ゲスト講師"))
        {
            return PartyRole.Public;
        }

        if (Any("staff", "rep", "representative", "agent", "sales", "teacher", "homeroom", "doctor", "physician", "nurse", "dentist", "advisor",
                "adviser", "consultant", "clerk", "operator", "sender", "support", "helpdesk", "office", "inquiry", "inquiries", "from", "reply",
                "berater", "arzt", "ärztin", "lehrer", "conseiller", "conseillere", "medecin", "médecin",
                "enseignant", "expediteur", "expéditeur", "service")
            || AnyJa("担任", "先生", "医師", "院長", "窓口", "事務局", "弊社", "当社", "営業担当", "問い合わせ", "問合せ", "お問合", "差出人", "発行者", "主治医"))
        {
            return PartyRole.Staff;
        }

        if (Any("company", "corporation", "corp", "organization", "organisation", "org", "firm", "business", "firma", "unternehmen", "societe",
                "société", "entreprise", "employer", "arbeitgeber", "employeur")
            || AnyJa("会社", "法人", "企業", "取引先", "御社", "貴社", "団体", "勤務先"))
        {
            return PartyRole.Organisation;
        }

        if (Any("ship", "shipping", "shipto", "delivery", "deliver", "gift", "giftee", "consignee", "lieferung", "lieferadresse", "liefer",
                "empfänger", "empfaenger", "livraison", "destinataire", "beneficiary")
            || AnyJa("お届け", "届け先", "配送先", "送付先", "配達先", "ギフト", "贈り先"))
        {
            return PartyRole.ShipTo;
        }

        if (Any("billing", "bill", "billto", "payer", "invoicee", "rechnungsadresse", "rechnungsempfänger", "facturation")
            || AnyJa("請求先", "支払者", "ご請求先", "払込人"))
        {
            return PartyRole.Billing;
        }

        if (Any("student", "pupil", "child", "children", "kid", "kids", "son", "daughter", "dependant", "dependent", "minor", "schüler",
                "schueler", "schülerin", "kinder", "eleve", "élève", "enfant", "enfants")
            || AnyJa("生徒", "児童", "園児", "お子", "子ども", "子供", "息子", "娘", "受講生", "学生"))
        {
            return PartyRole.Dependant;
        }

        if (Any("guardian", "parent", "parents", "mother", "father", "spouse", "family", "household", "eltern", "vater", "mutter",
                "erziehungsberechtigter", "tuteur", "pere", "père", "mere", "mère", "conjoint", "emergency")
            || AnyJa("保護者", "父", "母", "家族", "世帯", "配偶者", "緊急連絡"))
        {
            return PartyRole.Household;
        }

        return null;
    }

    /// <summary>The words of a key path, lower case: "shipTo.postal_code" → ship, to, shipto, postal, code.</summary>
    internal static IReadOnlyCollection<string> Words(string key)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var segment in key.Split('.', '[', ']'))
        {
            var cleaned = Clean(segment);
            if (cleaned.Length == 0 || cleaned.All(char.IsAsciiDigit))
            {
                continue;
            }

            words.Add(cleaned.Replace("_", "").Replace("-", "").Replace(" ", ""));
            foreach (Match m in WordPart().Matches(segment))
            {
                words.Add(m.Value.ToLowerInvariant());
            }
        }

        return words;
    }

    /// <summary>
    /// True for an e-mail address however it was typed: "ｓａｔｏ＠ｅｘａｍｐｌｅ．ｊｐ" (full-width, as people type it in
    /// Japanese forms) is the same address as "sato@example.jp" once NFKC-folded.
    /// </summary>
    public static bool LooksLikeEmail(string value) => EmailShape().IsMatch(TextNormalizer.Nfkc(value.Trim()));

    /// <summary>Values that describe many people at once: prices, dates, small numbers, yes/no.</summary>
    public static bool IsNonIdentifyingShape(string normalized) =>
        normalized.Length == 0 || MoneyOrDateShape().IsMatch(normalized)
        || (IsDigits(normalized) && (normalized.Length < 7 || (normalized.Length == 8 && normalized[0] is '1' or '2')));

    /// <summary>"contact_name", "Ansprechpartner", "ご担当者": the client's contact, or the sender's when it is the same for everyone.</summary>
    internal static bool IsContactKey(string key) =>
        Words(key).Any(w => w is "contact" or "ansprechpartner" or "interlocuteur" or "sachbearbeiter" || w.Contains("担当", StringComparison.Ordinal));

    internal static bool IsMoneyOrDate(string normalized) => MoneyOrDateShape().IsMatch(normalized);

    /// <summary>"5月15日午前中", "2026-05-14 16時〜18時": a day or time slot many people share, never anyone's number.</summary>
    internal static bool TellsDateOrTime(string normalized) => DateOrTimeInside().IsMatch(normalized);

    private static bool IsDigits(string s) => s.All(char.IsAsciiDigit);

    private static int LastSegmentStart(string key)
    {
        var dot = key.LastIndexOf('.');
        return dot >= 0 ? dot + 1 : 0;
    }

    private static string Clean(string segment)
    {
        var bracket = segment.IndexOf('[');
        var seg = bracket > 0 ? segment[..bracket] : segment;
        return seg.Trim('-', '%', '{', '}', ' ', ':', '*', '_').ToLowerInvariant();
    }

    private static bool Has(string key, params ReadOnlySpan<string> parts)
    {
        foreach (var p in parts)
        {
            if (key.Contains(p, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"[A-Z]?[a-zà-öø-ÿ]+|[A-Z]+(?![a-z])|[^\x00-\x7F]+")]
    private static partial Regex WordPart();

    [GeneratedRegex(@"^[^@\s""<>]+@[^@\s""<>]+\.[^@\s""<>]+$")]
    private static partial Regex EmailShape();

    [GeneratedRegex(@"^(\+\d{1,3}|0)\d{8,11}$")]
    private static partial Regex PhoneShape();

    [GeneratedRegex(@"\d{1,2}月\d{1,2}日|\d{4}[/.\-年]\d{1,2}[/.\-月]\d{1,2}|\d{1,2}[:時]\d{0,2}[〜~\-－ー]|\d{1,2}:\d{2}")]
    private static partial Regex DateOrTimeInside();

    [GeneratedRegex(@"^\d{7}$")]
    private static partial Regex PostalShape();

    // Money needs a currency mark, a unit or thousands separators: a bare run of digits is a phone or member number
    // (it is judged by its length in IsNonIdentifyingShape), never "a price".
    [GeneratedRegex(@"^([¥$€£][\d,.]+(円|yen|jpy)?|[\d,.]*\d(円|yen|jpy|€|eur|usd|gbp)|\d{1,3}(,\d{3})+|\d+\.\d+|\d{1,4}[/.年\-]\d{1,2}([/.月\-]\d{1,4}日?)?(\(.\))?|(\d{1,4}年)?\d{1,2}月\d{1,2}日(\(.\))?|\d{1,2}:\d{2}|true|false|yes|no|はい|いいえ|あり|なし)$")]
    private static partial Regex MoneyOrDateShape();
}
