using System.Text;
using MisSend.Core.Detection;
using MisSend.Core.Incidents;
using static MisSend.Core.Tests.IncidentFixtures;

namespace MisSend.Core.Tests;

/// <summary>Issue 11 §2: the operator declares who received whose data; the scope is computed from the job's deliveries.</summary>
public sealed class IncidentScopeTests
{
    private static readonly Actor Suzuki = Actor.Operator("suzuki");
    private static readonly DateTimeOffset DeclaredAt = SentAt.AddHours(2);

    static IncidentScopeTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static DeclaredScope Scope(IReadOnlyList<JobDelivery> deliveries, params ScopeDeclaration[] declarations)
    {
        var result = ScopeCalculator.Compute(deliveries, declarations);
        Assert.Empty(result.Errors);
        return result.Scope!;
    }

    private static string Key(int customer) => "member:" + (1001 + customer);

    [Fact]
    public void Everyone_received_everything_reaches_every_recipient_but_the_owner()
    {
        var scope = Scope(Deliveries(), ScopeDeclaration.Everyone(Suzuki, DeclaredAt));

        Assert.Equal(30, scope.Exposures);
        Assert.Equal(6, scope.Subjects.Count);
        Assert.All(scope.Subjects, s => Assert.Equal(5, s.RecipientCount));
        Assert.All(scope.Recipients, r => Assert.Equal(5, r.SubjectCount));
        Assert.Equal(GuideCategories.Order(), scope.Categories);
        Assert.Equal(("山田 太郎", "taro.yamada@example.jp"), (scope.Subjects[0].Subject.Name, scope.Subjects[0].Subject.Email));
        Assert.Equal(SentAt.AddMinutes(1), scope.Subjects[3].FirstSentAt); // customer 3's guide went out in chunk 2
        Assert.Equal(SentAt, scope.Recipients[3].FirstSentAt); // 高橋 美咲 (chunk 2) received 山田 太郎's guide, sent with chunk 1
        Assert.Equal(0, scope.SubjectsWithoutAddress);
    }

    [Fact]
    public void Everyone_received_everything_never_counts_a_rows_own_recipients_such_as_a_guardian_in_cc()
    {
        var deliveries = Deliveries(4);
        // 佐藤 花子's guide also went to her guardian, who is not otherwise in the job.
        deliveries.Add(deliveries[1] with { Recipient = "guardian.sato@example.ne.jp" });

        var scope = Scope(deliveries, ScopeDeclaration.Everyone(Suzuki, DeclaredAt));

        var hanako = scope.Subjects.Single(s => s.Subject.Key == Key(1));
        Assert.Equal(3, hanako.RecipientCount); // 5 recipients, less herself and her guardian
        Assert.Equal(3, scope.Recipients.Single(r => r.Address == "guardian.sato@example.ne.jp").SubjectCount);
        Assert.Equal((4 * 5) - 4 - 1, scope.Exposures);
    }

    [Fact]
    public void Everyone_in_a_ten_thousand_person_job_is_counted_without_listing_a_hundred_million_pairs()
    {
        var deliveries = Enumerable.Range(0, 10_000).Select(i => new JobDelivery((i / 1000) + 1, i % 1000, $"member{i:D5}@example.jp",
            new DataSubject($"member:{i:D5}", $"member{i:D5}@example.jp", null), [DataCategory.Name, DataCategory.Amount], SentAt.AddSeconds(i / 1000))).ToList();

        var scope = Scope(deliveries, ScopeDeclaration.Everyone(Suzuki, DeclaredAt), ScopeDeclaration.Shifted(1, Suzuki, DeclaredAt));

        Assert.Equal(10_000L * 9_999, scope.Exposures);
        Assert.All(scope.Subjects, s => Assert.Equal(9_999, s.RecipientCount));
        Assert.Equal(9_999, scope.Recipients[^1].SubjectCount);
    }

    [Fact]
    public void Rows_shifted_by_one_give_each_row_the_next_rows_data_across_chunks_and_leave_the_last_row_without_a_counterpart()
    {
        var scope = Scope(Deliveries(), ScopeDeclaration.Shifted(1, Suzuki, DeclaredAt));

        Assert.Equal(5, scope.Exposures);
        Assert.Equal(1, scope.RowsWithoutCounterpart);
        Assert.Equal([Key(1), Key(2), Key(3), Key(4), Key(5)], scope.Subjects.Select(s => s.Subject.Key));
        Assert.Equal(Customers.Take(5).Select(c => c.Email), scope.Recipients.Select(r => r.Address));
        Assert.All(scope.Subjects, s => Assert.Equal(1, s.RecipientCount));

        // Row 2 (chunk 1) received row 3's data (chunk 2) in its own mail, sent with chunk 1.
        Assert.Equal(SentAt, scope.Recipients.Single(r => r.Address == Customers[2].Email).FirstSentAt);
        Assert.Equal(SentAt, scope.Subjects.Single(s => s.Subject.Key == Key(3)).FirstSentAt);
    }

    [Fact]
    public void Rows_shifted_in_only_some_items_expose_only_those_items()
    {
        var scope = Scope(Deliveries(), ScopeDeclaration.Shifted(1, Suzuki, DeclaredAt, [DataCategory.Amount]));

        Assert.Equal(5, scope.Exposures);
        Assert.All(scope.Subjects, s => Assert.Equal([DataCategory.Amount], s.Categories));
        Assert.All(scope.Recipients, r => Assert.Equal([DataCategory.Amount], r.Categories));
        Assert.Equal([DataCategory.Amount], scope.Declarations.Single().Summary().Categories);
    }

    [Fact]
    public void Rows_shifted_backwards_leave_the_first_rows_without_a_counterpart()
    {
        var scope = Scope(Deliveries(), ScopeDeclaration.Shifted(-2, Suzuki, DeclaredAt));

        Assert.Equal(4, scope.Exposures);
        Assert.Equal(2, scope.RowsWithoutCounterpart);
        Assert.Equal([Key(0), Key(1), Key(2), Key(3)], scope.Subjects.Select(s => s.Subject.Key));
        Assert.Equal(Customers.Skip(2).Select(c => c.Email), scope.Recipients.Select(r => r.Address));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-6)]
    public void A_shift_of_nothing_or_of_the_whole_job_is_refused(int k)
    {
        var result = ScopeCalculator.Compute(Deliveries(), [ScopeDeclaration.Shifted(k, Suzuki, DeclaredAt)]);
        Assert.Null(result.Scope);
        Assert.Equal([new ScopeError(null, ScopeErrorCode.BadShift, k.ToString(System.Globalization.CultureInfo.InvariantCulture))], result.Errors);
    }

    [Fact]
    public void No_recorded_deliveries_is_an_error_not_an_empty_scope()
    {
        Assert.Equal([new ScopeError(null, ScopeErrorCode.NoDeliveries)], ScopeCalculator.Compute([], [ScopeDeclaration.Everyone(Suzuki, DeclaredAt)]).Errors);
    }

    [Fact]
    public void A_utf8_list_with_a_BOM_declares_who_received_whose_data_with_optional_categories()
    {
        var csv = "\uFEFFrecipient,subject,categories\r\n"
            + "Taro.Yamada@Example.jp,hanako.sato@example.ne.jp,name;amount\r\n"
            + "taro.yamada@example.jp,member:1003,\r\n"
            + "\"ichiro.suzuki@example.co.jp\",\"member:1001\",\"氏名、請求金額\"\r\n";
        var parsed = RecipientSubjectCsv.Parse(Encoding.UTF8.GetBytes(csv));

        Assert.Empty(parsed.Errors);
        Assert.Equal(
        [
            new DeclaredPair(2, "taro.yamada@example.jp", "hanako.sato@example.ne.jp", [DataCategory.Name, DataCategory.Amount]),
            new DeclaredPair(3, "taro.yamada@example.jp", "member:1003", null),
            new DeclaredPair(4, "ichiro.suzuki@example.co.jp", "member:1001", [DataCategory.Name, DataCategory.Amount]),
        ], parsed.Pairs, new PairComparer());

        var scope = Scope(Deliveries(), ScopeDeclaration.List(parsed.Pairs, Suzuki, DeclaredAt));
        Assert.Equal(3, scope.Exposures);
        var taro = scope.Recipients.Single(r => r.Address == "taro.yamada@example.jp");
        Assert.Equal(2, taro.SubjectCount);
        Assert.Equal(GuideCategories.Order(), taro.Categories);
        Assert.Equal([DataCategory.Name, DataCategory.Amount], scope.Subjects.Single(s => s.Subject.Key == Key(1)).Categories);
    }

    [Fact]
    public void A_Shift_JIS_list_from_Excel_with_Japanese_headers_is_read()
    {
        var csv = "受信者,本人,項目\r\nkenta.tanaka@example.or.jp,sakura.ito@example.jp,氏名、席種\r\n";
        var parsed = RecipientSubjectCsv.Parse(Encoding.GetEncoding(932).GetBytes(csv));

        Assert.Empty(parsed.Errors);
        Assert.Equal(new DeclaredPair(2, "kenta.tanaka@example.or.jp", "sakura.ito@example.jp", [DataCategory.Name, DataCategory.Seat]), Assert.Single(parsed.Pairs), new PairComparer());

        var utf16 = RecipientSubjectCsv.Parse(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(csv)).ToArray());
        Assert.Single(utf16.Pairs);
    }

    public static TheoryData<string, ScopeError[]> BadLists => new()
    {
        { "", [new ScopeError(null, ScopeErrorCode.Empty)] },
        { "\r\n\r\n", [new ScopeError(null, ScopeErrorCode.Empty)] },
        { "recipient,subject\r\n", [new ScopeError(2, ScopeErrorCode.NoRows)] },
        { "email,owner\nt@example.jp,h@example.jp\n", [new ScopeError(1, ScopeErrorCode.UnknownColumn, "email"), new ScopeError(1, ScopeErrorCode.UnknownColumn, "owner"), new ScopeError(1, ScopeErrorCode.MissingColumn, "recipient"), new ScopeError(1, ScopeErrorCode.MissingColumn, "subject")] },
        { "recipient,subject,recipient\n", [new ScopeError(1, ScopeErrorCode.DuplicateColumn, "recipient")] },
        { "recipient\n", [new ScopeError(1, ScopeErrorCode.MissingColumn, "subject")] },
        { "recipient,subject\ntaro.yamada@example.jp,member:1002\ntaro.yamada@example.jp\nt,member:1003,x\n", [new ScopeError(3, ScopeErrorCode.ColumnCount, "1 / 2"), new ScopeError(4, ScopeErrorCode.ColumnCount, "3 / 2")] },
        { "recipient,subject\n山田 太郎,member:1002\ntaro.yamada@,member:1003\n,member:1004\ntaro@example.jp,\n", [new ScopeError(2, ScopeErrorCode.MalformedEmail, "山***"), new ScopeError(3, ScopeErrorCode.MalformedEmail, "t***@"), new ScopeError(4, ScopeErrorCode.EmptyValue, "recipient"), new ScopeError(5, ScopeErrorCode.EmptyValue, "subject")] },
        { "recipient,subject,categories\ntaro.yamada@example.jp,member:1002,name;血液型\n", [new ScopeError(2, ScopeErrorCode.UnknownCategory, "血液型")] },
        { "recipient,subject\n\"taro.yamada@example.jp,member:1002\n", [new ScopeError(2, ScopeErrorCode.UnterminatedQuote)] },
    };

    [Theory]
    [MemberData(nameof(BadLists))]
    public void A_bad_list_is_refused_whole_with_every_problem_and_its_line(string csv, ScopeError[] errors)
    {
        var parsed = RecipientSubjectCsv.Parse(Encoding.UTF8.GetBytes(csv));
        Assert.Empty(parsed.Pairs);
        Assert.Equal(errors, parsed.Errors);
    }

    [Fact]
    public void Bytes_that_are_neither_UTF8_nor_Shift_JIS_are_refused()
    {
        Assert.Equal([new ScopeError(null, ScopeErrorCode.Encoding)], RecipientSubjectCsv.Parse([0x72, 0x81, 0x0A, 0x81]).Errors);
    }

    [Fact]
    public void Quoted_values_may_hold_commas_and_line_breaks_and_later_lines_keep_their_numbers()
    {
        var csv = "recipient,subject,categories\n\"taro.yamada@example.jp\",\"member:1002\",\"name;\namount\"\nbad,member:1003,\n";
        var parsed = RecipientSubjectCsv.Parse(Encoding.UTF8.GetBytes(csv));
        Assert.Equal([new ScopeError(4, ScopeErrorCode.MalformedEmail, "b***")], parsed.Errors);
    }

    [Fact]
    public void Addresses_and_subjects_the_job_never_had_are_refused_naming_the_line()
    {
        var pairs = RecipientSubjectCsv.Parse(Encoding.UTF8.GetBytes(
            "recipient,subject\ntaro.yamada@example.jp,member:1002\nstranger@example.com,member:1002\ntaro.yamada@example.jp,member:9999\nhanako.sato@example.ne.jp,member:1002\n")).Pairs;

        var result = ScopeCalculator.Compute(Deliveries(), [ScopeDeclaration.List(pairs, Suzuki, DeclaredAt)]);

        Assert.Null(result.Scope);
        Assert.Equal(
        [
            new ScopeError(3, ScopeErrorCode.UnknownRecipient, "s***@example.com"),
            new ScopeError(4, ScopeErrorCode.UnknownSubject, "m***"),
            new ScopeError(5, ScopeErrorCode.OwnData, "h***@example.ne.jp"),
        ], result.Errors);
        Assert.Equal("3行目: s***@example.com はこの送信ジョブの受信者として記録されていません", result.Errors[0].Message("ja"));
        Assert.Equal("line 3: s***@example.com is not a recorded recipient of this job", result.Errors[0].Message("en"));
        Assert.All(result.Errors, e => Assert.DoesNotContain("stranger", e.Message("en")));
    }

    [Fact]
    public void Redeclaring_before_any_notice_replaces_the_scope()
    {
        var first = ScopeRedeclaration.Apply(Deliveries(), null, NotifiedPeople.None, ScopeDeclaration.Everyone(Suzuki, DeclaredAt));
        Assert.Equal(ScopeChangeMode.First, first.Change!.Mode);
        Assert.Equal(6, first.Change.Added.SubjectKeys.Count);

        var corrected = ScopeRedeclaration.Apply(Deliveries(), first.Scope, NotifiedPeople.None, ScopeDeclaration.Shifted(1, Suzuki, DeclaredAt.AddMinutes(5)));

        Assert.Equal(ScopeChangeMode.Replaced, corrected.Change!.Mode);
        Assert.Equal([ScopeDeclarationKind.Shifted], corrected.Scope!.Declarations.Select(d => d.Kind));
        Assert.Equal(5, corrected.Scope.Exposures);
        Assert.Equal([Key(0)], corrected.Change.Removed.SubjectKeys);
        Assert.Equal([Customers[5].Email], corrected.Change.Removed.Recipients);
        Assert.True(corrected.Change.Added.IsEmpty);
        Assert.True(corrected.Change.KeptFromEarlier.IsEmpty);
    }

    [Fact]
    public void Redeclaring_after_notices_went_out_adds_and_never_drops_anyone()
    {
        var shifted = ScopeRedeclaration.Apply(Deliveries(), null, NotifiedPeople.None, ScopeDeclaration.Shifted(1, Suzuki, DeclaredAt)).Scope!;
        var told = new NotifiedPeople(shifted.Subjects.Select(s => s.Subject.Key).ToHashSet(), shifted.Recipients.Select(r => r.Address).ToHashSet());
        var list = RecipientSubjectCsv.Parse(Encoding.UTF8.GetBytes("recipient,subject\nsakura.ito@example.jp,member:1001\n")).Pairs;

        var extended = ScopeRedeclaration.Apply(Deliveries(), shifted, told, ScopeDeclaration.List(list, Suzuki, DeclaredAt.AddHours(1)));

        Assert.Equal(ScopeChangeMode.Extended, extended.Change!.Mode);
        Assert.Equal([ScopeDeclarationKind.Shifted, ScopeDeclarationKind.List], extended.Scope!.Declarations.Select(d => d.Kind));
        Assert.Equal(6, extended.Scope.Exposures);
        Assert.True(extended.Change.Removed.IsEmpty);
        Assert.Equal([Key(0)], extended.Change.Added.SubjectKeys); // 山田 太郎's data reached 伊藤 さくら: his apology goes out next
        Assert.Equal([Customers[5].Email], extended.Change.Added.Recipients);
        Assert.Equal(5, extended.Change.KeptFromEarlier.SubjectKeys.Count); // the earlier declaration's people stay, and the change says so
        Assert.True(extended.Change.NotifiedWithChangedCounts.IsEmpty);

        // Declaring "everyone" after that: the people already told a number now have a larger one, and the change names them.
        var everyone = ScopeRedeclaration.Apply(Deliveries(), extended.Scope, told, ScopeDeclaration.Everyone(Suzuki, DeclaredAt.AddHours(2)));
        Assert.Equal(30, everyone.Scope!.Exposures);
        Assert.Equal(told.SubjectKeys.Order(), everyone.Change!.NotifiedWithChangedCounts.SubjectKeys.Order());
        Assert.True(everyone.Change.Removed.IsEmpty);
    }

    [Fact]
    public void A_redeclaration_that_cannot_be_applied_changes_nothing()
    {
        var first = ScopeRedeclaration.Apply(Deliveries(), null, NotifiedPeople.None, ScopeDeclaration.Everyone(Suzuki, DeclaredAt)).Scope;
        var bad = ScopeRedeclaration.Apply(Deliveries(), first, NotifiedPeople.None, ScopeDeclaration.Shifted(0, Suzuki, DeclaredAt));
        Assert.Equal((null, null), (bad.Scope, bad.Change));
        Assert.Equal(ScopeErrorCode.BadShift, Assert.Single(bad.Errors).Code);
    }

    /// <summary>Records compare lists by reference; pairs are compared by their values.</summary>
    private sealed class PairComparer : IEqualityComparer<DeclaredPair>
    {
        public bool Equals(DeclaredPair? x, DeclaredPair? y) => x is not null && y is not null
            && (x.Line, x.Recipient, x.Subject) == (y.Line, y.Recipient, y.Subject)
            && (x.Categories ?? []).SequenceEqual(y.Categories ?? []) && (x.Categories is null) == (y.Categories is null);

        public int GetHashCode(DeclaredPair obj) => obj.Line;
    }
}
