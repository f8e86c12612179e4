using MisSend.Core.Detection;
using MisSend.Core.Detection.Recognizers;

namespace MisSend.Core.Tests;

/// <summary>Each recognizer on its own: what it finds, what it leaves alone.</summary>
public sealed class RecognizerTests
{
    [Theory]
    [InlineData("携帯 090-1234-5678 まで", "JP", "09012345678", true)]
    [InlineData("TEL 03-3211-0001（代表）", "JP", "0332110001", false)]
    [InlineData("Handy: 0151 23456789", "DE", "015123456789", true)]
    [InlineData("Tel. 030 2061 0001", "DE", "03020610001", false)]
    [InlineData("portable 06 12 34 56 78", "FR", "0612345678", true)]
    [InlineData("call +81 90 1234 5678", "US", "09012345678", true)]
    public void Phones_are_parsed_and_typed_by_libphonenumber(string text, string region, string canonical, bool personal)
    {
        var phone = Assert.Single(PhonesInText.Find(text, region));
        Assert.Equal(canonical, phone.Value);
        Assert.Equal(personal, phone.Personal);
        Assert.Equal(DataCategory.Phone, phone.Category);
    }

    [Theory]
    [InlineData("フリーダイヤル 0120-123-456")]
    [InlineData("ナビダイヤル 0570-000-123")]
    [InlineData("Servicenummer 0800 1234567")]
    [InlineData("会員番号 2027 年 12 月")]
    public void Toll_free_and_navi_dial_numbers_are_businesses_and_dates_no_phones(string text) =>
        Assert.Empty(PhonesInText.Find(text, text.Contains("Service") ? "DE" : "JP"));

    [Theory]
    [InlineData("4111 1111 1111 1111", true)]
    [InlineData("4111-1111-1111-1112", false)]
    [InlineData("5555555555554444", true)]
    [InlineData("1234 5678 9012 3456", false)]
    public void Card_numbers_need_a_valid_luhn_digit(string text, bool found) => Assert.Equal(found, PaymentCards.Find(text).Any());

    [Theory]
    [InlineData("DE89 3704 0044 0532 0130 00", true)]
    [InlineData("DE89370400440532013000", true)]
    [InlineData("FR14 2004 1010 0505 0001 3M02 606", true)]
    [InlineData("GB29 NWBK 6016 1331 9268 19", true)]
    [InlineData("DE88 3704 0044 0532 0130 00", false)]
    public void Ibans_need_valid_check_digits(string iban, bool valid)
    {
        Assert.Equal(valid, Iban.IsValid(iban));
        Assert.Equal(valid, Iban.Find($"IBAN: {iban}").Any());
    }

    [Fact]
    public void A_sender_iban_in_a_footer_is_not_personal_by_itself() =>
        Assert.False(Assert.Single(Iban.Find("Stadtwerke GmbH, IBAN DE89 3704 0044 0532 0130 00")).Personal);

    [Theory]
    [InlineData("〒330-0062 埼玉県さいたま市浦和区仲町1丁目2番3号")]
    [InlineData("東京都調布市西町1-2-3")]
    [InlineData("Invalidenstraße 12, 10115 Berlin")]
    [InlineData("12 rue de la Paix, 75002 Paris")]
    [InlineData("10 Downing Street, London SW1A 2AA")]
    [InlineData("1600 Pennsylvania Avenue NW, Washington, DC 20500")]
    public void Postal_addresses_in_four_countries(string text) => Assert.NotEmpty(PostalAddresses.Find(text));

    [Theory]
    [InlineData("生年月日: 1984年5月12日", DataCategory.BirthDate)]
    [InlineData("Date of birth: 12/05/1984", DataCategory.BirthDate)]
    [InlineData("Geburtsdatum: 12.05.1984", DataCategory.BirthDate)]
    [InlineData("née le 12/05/1984", DataCategory.BirthDate)]
    [InlineData("会員番号：RS-2027517", DataCategory.MemberId)]
    [InlineData("Kundennummer: KD-7300041", DataCategory.MemberId)]
    [InlineData("N° client : CL5200043", DataCategory.MemberId)]
    [InlineData("Customer No. AC8800047", DataCategory.MemberId)]
    [InlineData("病名：糖尿病", DataCategory.Health)]
    [InlineData("Diagnosis: asthma", DataCategory.Health)]
    [InlineData("Diagnose: Bluthochdruck", DataCategory.Health)]
    [InlineData("口座番号 1234567", DataCategory.BankAccount)]
    public void Labelled_values_in_four_languages(string text, DataCategory category) =>
        Assert.Contains(LabelledValues.Find(text), id => id.Category == category && id.Personal);

    [Theory]
    [InlineData("The 2027 season: 19 home matches")]
    [InlineData("お支払い期限: 2027年1月15日")]
    [InlineData("Diagnose")]
    public void Unlabelled_numbers_and_dates_are_not_personal_values(string text) => Assert.Empty(LabelledValues.Find(text));

    [Theory]
    [InlineData("氏名: 山田 太郎", "山田太郎")]
    [InlineData("佐藤 美咲 様、いつもありがとうございます", "佐藤美咲")]
    [InlineData("Dear Ms Jane Smith,", "janesmith")]
    [InlineData("Sehr geehrte Frau Anna Müller,", "annamuller")]
    [InlineData("Madame Claire Dubois", "clairedubois")]
    [InlineData("Name: DUBOIS, Claire", "duboisclaire")]
    public void Names_that_a_text_addresses_or_labels(string text, string key) =>
        Assert.Contains(NamesInText.Find(text), id => id.Value == key);

    [Theory]
    [InlineData("担当: 鈴木 一郎")]
    [InlineData("お客様各位")]
    [InlineData("Dear customer,")]
    public void Staff_signatures_and_generic_salutations_are_no_one(string text) => Assert.Empty(NamesInText.Find(text));

    [Theory]
    [InlineData("gmail.com", true)]
    [InlineData("docomo.ne.jp", true)]
    [InlineData("i.softbank.jp", true)]
    [InlineData("ezweb.ne.jp", true)]
    [InlineData("orange.fr", true)]
    [InlineData("gmx.de", true)]
    [InlineData("example.jp", true)]
    [InlineData("outlook.de", true)]
    [InlineData("yahoo.fr", true)]
    [InlineData("kanda-kogyo.co.jp", false)]
    [InlineData("club.example.jp", false)]
    public void Public_mailbox_and_carrier_domains(string domain, bool isPublic) => Assert.Equal(isPublic, Domains.IsPublic(domain));

    [Theory]
    [InlineData("keiri@client.co.jp", true)]
    [InlineData("accounts@client.example", true)]
    [InlineData("support+jp@shop.example", true)]
    [InlineData("taro.yamada@client.co.jp", false)]
    public void Role_addresses(string email, bool role) => Assert.Equal(role, Domains.IsRoleAddress(email));

    [Theory]
    [InlineData("Taro Yamada", "YAMADA, Taro", NameMatch.Same)]
    [InlineData("Claire Dubois", "DUBOIS Claire", NameMatch.Same)]
    [InlineData("Anna Müller", "anna mueller", NameMatch.Different)]
    [InlineData("Anna Müller", "Anna Muller", NameMatch.Same)]
    [InlineData("佐藤 美咲", "佐藤美咲様", NameMatch.Same)]
    [InlineData("佐藤 美咲", "佐藤 健", NameMatch.Different)]
    [InlineData("佐藤 美咲", "佐藤", NameMatch.Unknown)]
    [InlineData("佐藤 美咲", "Misaki Sato", NameMatch.Unknown)]
    [InlineData("Emily Smith", "James Smith", NameMatch.Different)]
    [InlineData("Emily Smith", "Smith", NameMatch.Unknown)]
    public void Names_compare_in_either_order_and_a_surname_alone_proves_nothing(string a, string b, NameMatch expected) =>
        Assert.Equal(expected, NameValue.Compare(NameValue.Parse(a)!, NameValue.Parse(b)!));

    [Theory]
    [InlineData("Claire Dubois", "claire.dubois84@orange.fr", true)]
    [InlineData("Claire Dubois", "dubois_claire@free.fr", true)]
    [InlineData("Claire Dubois", "cdubois@free.fr", true)]
    [InlineData("Claire Dubois", "hugo.martin@free.fr", false)]
    [InlineData("Claire Dubois", "dubois@free.fr", false)]
    [InlineData("Anna Schulz", "hannah.schulz70@web.de", false)]
    public void Local_parts_that_spell_a_name(string name, string email, bool spelled) =>
        Assert.Equal(spelled, NameValue.SpelledBy(NameValue.Parse(name)!, email));

    [Theory]
    [InlineData("お客様")]
    [InlineData("Valued Customer")]
    [InlineData("ご家族 様")]
    [InlineData("RS-2027517")]
    [InlineData("¥98,000")]
    public void Values_that_are_no_ones_name(string value) => Assert.False(NameValue.IsPlausible(value));
}
