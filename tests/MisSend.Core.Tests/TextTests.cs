using MisSend.Core.Detection;
using MisSend.Core.Text;

namespace MisSend.Core.Tests;

public sealed class NormalizerTests
{
    [Theory]
    [InlineData("０９０－１２３４－５６７８", "09012345678")]
    [InlineData("ＳＳ指定席", "ss指定席")]
    [InlineData("ｻﾄｳ ﾐｻｷ", "サトウミサキ")]
    [InlineData("佐藤\u3000美咲", "佐藤美咲")]
    [InlineData("佐藤 美咲", "佐藤美咲")]
    [InlineData("Ａｂｃ　Ｄｅｆ", "abcdef")]
    public void Folds_width_case_and_spaces(string input, string expected) => Assert.Equal(expected, TextNormalizer.Normalize(input));

    [Theory]
    [InlineData("090-1234-5678")]
    [InlineData("090‐1234‐5678")]
    [InlineData("090−1234−5678")]
    [InlineData("090ー1234ー5678")]
    [InlineData("090－1234－5678")]
    [InlineData("090–1234—5678")]
    [InlineData("０９０ｰ１２３４ｰ５６７８")]
    public void Dash_variants_fold_to_nothing(string phone) => Assert.Equal("09012345678", TextNormalizer.Normalize(phone));

    [Theory]
    [InlineData("〒３３０－００６２")]
    [InlineData("３３０－００６２")]
    [InlineData("330-0062")]
    [InlineData("3300062")]
    [InlineData("〒330-0062")]
    [InlineData("〒 330−0062")]
    public void Postal_codes_match_however_typed(string postal) => Assert.Equal("3300062", TextNormalizer.Normalize(postal));

    [Theory]
    [InlineData("Sato.Misaki@Example.JP")]
    [InlineData("  sato.misaki@example.jp ")]
    [InlineData("ｓａｔｏ．ｍｉｓａｋｉ＠ｅｘａｍｐｌｅ．ｊｐ")]
    [InlineData("ＳＡＴＯ.misaki@EXAMPLE.jp")]
    public void Email_case_and_width(string email) => Assert.Equal("sato.misaki@example.jp", TextNormalizer.NormalizeEmail(email));

    [Theory]
    [InlineData("佐藤 美咲 様")]
    [InlineData("佐藤美咲様")]
    [InlineData("佐藤　美咲　さま")]
    [InlineData("佐藤 美咲 殿")]
    [InlineData("佐藤美咲さん")]
    public void Names_drop_spaces_and_honorifics(string name) => Assert.Equal("佐藤美咲", TextNormalizer.NormalizeName(name));

    [Fact]
    public void A_name_that_is_only_an_honorific_is_kept() => Assert.Equal("様", TextNormalizer.NormalizeName("様"));

    [Theory]
    [InlineData("email", "ｓａｔｏ＠ｅｘａｍｐｌｅ．ｊｐ", DataCategory.Email)]
    [InlineData("email", "sato@example.jp", DataCategory.Email)]
    [InlineData("氏名", "佐藤 美咲", DataCategory.Name)]
    [InlineData("customer.name", "佐藤 美咲", DataCategory.Name)]
    [InlineData("郵便番号", "〒330-0062", DataCategory.PostalCode)]
    [InlineData("note", "〒３３０－００６２", DataCategory.PostalCode)]
    [InlineData("住所", "埼玉県さいたま市浦和区仲町1丁目", DataCategory.Address)]
    [InlineData("tel", "090-1234-5678", DataCategory.Phone)]
    [InlineData("note", "０９０－１２３４－５６７８", DataCategory.Phone)]
    [InlineData("member_no", "RS-2027001", DataCategory.MemberId)]
    [InlineData("amount", "¥98,000", DataCategory.Amount)]
    [InlineData("seat", "SS指定席", DataCategory.Seat)]
    [InlineData("venue", "埼玉スタジアム2002", DataCategory.Other)]
    public void Classifies_fields(string key, string value, DataCategory expected) => Assert.Equal(expected, FieldClassifier.Classify(key, value));

    [Theory]
    [InlineData("¥98,000", true)]
    [InlineData("２０２７年１月１５日", true)]
    [InlineData("14:00", true)]
    [InlineData("rs2027001", false)]
    [InlineData("09012345678", false)]
    public void Shared_shapes_identify_nobody(string value, bool nonIdentifying) =>
        Assert.Equal(nonIdentifying, FieldClassifier.IsNonIdentifyingShape(TextNormalizer.Normalize(value)));
}

public sealed class MaskTests
{
    [Theory]
    [InlineData("Sato.Misaki@Example.JP", "s***@example.jp")]
    [InlineData("x@y.jp", "x***@y.jp")]
    [InlineData("not-an-address", "***")]
    public void Masks_emails(string email, string masked) => Assert.Equal(masked, Mask.Email(email));

    [Theory]
    [InlineData("佐藤 美咲", "佐***")]
    [InlineData("  ", "***")]
    [InlineData("sato@example.jp", "s***@example.jp")]
    [InlineData("𠮷田 太郎", "𠮷***")]
    public void Masks_values(string value, string masked) => Assert.Equal(masked, Mask.Value(value));

    [Fact]
    public void Lists_are_capped()
    {
        var list = Mask.List(["a1@x.jp", "b2@x.jp", "c3@x.jp", "d4@x.jp", "e5@x.jp"]);
        Assert.Equal("a***@x.jp, b***@x.jp, c***@x.jp and 2 more", list);
    }
}
