using System.Text.Json.Serialization;
using MisSend.Core;
using MisSend.Core.Incidents;

namespace MisSend.Core.Tests;

/// <summary>Issue 11 §1: incident kinds, sources and the history of kind changes, stored by name.</summary>
public sealed class IncidentTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 20, 1, 7, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(IncidentSource.Detector, false, IncidentKind.NearMiss)]
    [InlineData(IncidentSource.Detector, true, IncidentKind.Leak)]
    [InlineData(IncidentSource.Operator, false, IncidentKind.Reported)]
    [InlineData(IncidentSource.Operator, true, IncidentKind.Reported)]
    [InlineData(IncidentSource.RecipientReport, true, IncidentKind.Reported)]
    public void Kind_at_opening_follows_the_source_and_whether_anything_left(IncidentSource source, bool left, IncidentKind kind)
    {
        Assert.Equal(kind, Incident.KindAtOpening(source, left));
        var incident = Incident.Open("INC-1", "reds-2027-payment-guide", source, left, Actor.System, At, "opened");
        Assert.Equal(kind, incident.Kind);
        Assert.Equal(At, incident.OpenedAt);
        Assert.Equal([new KindChange(null, kind, Actor.System, At, "opened")], incident.KindHistory);
    }

    [Fact]
    public void Every_kind_change_is_recorded_with_who_when_and_why()
    {
        var opened = Incident.Open("INC-1", "reds-2027-payment-guide", IncidentSource.Detector, false, Actor.System, At, "halted before sending");
        var changed = opened.ChangeKind(IncidentKind.Leak, Actor.Operator("suzuki"), At.AddHours(1), "先行送信分に誤りがあったことを確認");

        Assert.Equal(IncidentKind.Leak, changed.Kind);
        Assert.Equal(
        [
            new KindChange(null, IncidentKind.NearMiss, Actor.System, At, "halted before sending"),
            new KindChange(IncidentKind.NearMiss, IncidentKind.Leak, Actor.Operator("suzuki"), At.AddHours(1), "先行送信分に誤りがあったことを確認"),
        ], changed.KindHistory);
        Assert.Single(opened.KindHistory); // records are values: the earlier state is unchanged

        Assert.Throws<InvalidOperationException>(() => changed.ChangeKind(IncidentKind.Leak, Actor.Operator("suzuki"), At.AddHours(2), "again"));
        Assert.Throws<InvalidOperationException>(() => changed.ChangeKind(IncidentKind.Reported, Actor.Operator("suzuki"), At, "back in time"));
        Assert.Throws<ArgumentException>(() => changed.ChangeKind(IncidentKind.Reported, Actor.Operator("suzuki"), At.AddHours(2), " "));
    }

    [Fact]
    public void Enum_values_are_stored_by_stable_names_never_by_ordinal()
    {
        Assert.Equal("near-miss", StoredName.Of(IncidentKind.NearMiss));
        Assert.Equal("recipient-report", StoredName.Of(IncidentSource.RecipientReport));
        Assert.Equal("delete-request", StoredName.Of(Notices.NoticeKind.DeleteRequest));
        Assert.Equal("deleted-unread-confirmed", StoredName.Of(Reports.TimelineEventKind.DeletedUnreadConfirmed));
        Assert.Equal(IncidentKind.Reported, StoredName.Parse<IncidentKind>("reported"));
        Assert.False(StoredName.TryParse<IncidentKind>("2", out _));
        Assert.Throws<FormatException>(() => StoredName.Parse<IncidentKind>("NearMiss"));

        // Every enum of the incident, notice and report models has a unique stored name for every member.
        var enums = typeof(Incident).Assembly.GetTypes()
            .Where(t => t.IsEnum && t.IsPublic && t.Namespace is "MisSend.Core.Incidents" or "MisSend.Core.Notices" or "MisSend.Core.Reports")
            .ToList();
        Assert.True(enums.Count >= 15, string.Join(", ", enums));
        foreach (var type in enums)
        {
            var names = type.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
                .Select(f => f.GetCustomAttributes(typeof(JsonStringEnumMemberNameAttribute), false).Cast<JsonStringEnumMemberNameAttribute>().SingleOrDefault()?.Name)
                .ToList();
            Assert.All(names, n => Assert.False(string.IsNullOrEmpty(n), type.Name));
            Assert.Equal(names.Count, names.Distinct().Count());
        }
    }
}
