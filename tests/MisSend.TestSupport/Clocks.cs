namespace MisSend.TestSupport;

/// <summary>A clock that moves only when the test moves it.</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public TestClock()
        : this(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.FromHours(9)))
    {
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (this)
        {
            return _now.ToUniversalTime();
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (this)
        {
            _now += by;
        }
    }
}

/// <summary>A clock the test moves for tests on real parts: timers and delays stay real (only "now" shifts).</summary>
public sealed class ManualClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public void Advance(TimeSpan by) => Offset += by;
}
