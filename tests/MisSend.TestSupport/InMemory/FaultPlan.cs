using System.Collections.Concurrent;

namespace MisSend.TestSupport.InMemory;

public enum StepPhase
{
    /// <summary>The call is about to be made: nothing happened yet.</summary>
    Before,

    /// <summary>The call's effect happened; its caller has not learned so yet (a crash here is a lost response).</summary>
    After,
}

/// <summary>One call of an in-memory port. <paramref name="Subject"/> names what it touches, e.g. "job-1#2:sending".</summary>
/// <param name="Mail">For mail calls, the body sent.</param>
public sealed record Step(string Operation, string Subject, StepPhase Phase, string? Mail = null);

/// <summary>The operations the in-memory ports report, for tests to aim at.</summary>
public static class Ops
{
    public const string AddJob = "jobs.add-job";
    public const string ReplaceJob = "jobs.replace-job";
    public const string AddChunk = "jobs.add-chunk";
    public const string ReplaceChunk = "jobs.replace-chunk";
    public const string RecordDeliveries = "ledger.record";
    public const string ClaimRecipients = "ledger.claim";
    public const string AddIncident = "incidents.add";
    public const string ReplaceIncident = "incidents.replace";
    public const string AddCandidates = "incidents.add-candidates";
    public const string KeepBody = "bodies.keep";
    public const string InsertNotices = "notices.insert";
    public const string ReplaceNotices = "notices.replace";
    public const string AddWave = "notices.add-wave";
    public const string ReplaceWave = "notices.replace-wave";
    public const string Send = "mail.send";
    public const string Cancel = "mail.cancel";
    public const string Activity = "mail.activity";
}

/// <summary>A process dying at a chosen step.</summary>
public sealed class SimulatedCrash(Step step) : Exception($"simulated crash {step.Phase.ToString().ToLowerInvariant()} {step.Operation} {step.Subject}")
{
    public Step Step { get; } = step;
}

/// <summary>A worker parked at a step until the test lets it go on.</summary>
public sealed class Gate
{
    private readonly TaskCompletionSource<Step> _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a worker arrives at the step (with the step it arrived at).</summary>
    public Task<Step> Reached => _reached.Task;

    public void Release() => _released.TrySetResult();

    internal Task ArriveAsync(Step step)
    {
        _reached.TrySetResult(step);
        return _released.Task;
    }
}

/// <summary>
/// Where the in-memory ports pause, crash or carry on. Every port call passes here before and after its effect, so a
/// test can put a worker at any step, run another to completion meanwhile, and then let the first go on: the
/// interleavings that happen by luck on real storage happen on purpose here.
/// </summary>
public sealed class FaultPlan
{
    private readonly List<Rule> _rules = [];
    private readonly ConcurrentQueue<Step> _trace = new();

    /// <summary>Every step taken, in order.</summary>
    public IReadOnlyCollection<Step> Trace => _trace;

    public Gate PauseAt(StepPhase phase, string operation, Func<Step, bool>? where = null)
    {
        var gate = new Gate();
        Add(new Rule(phase, operation, where, 1, step => gate.ArriveAsync(step)));
        return gate;
    }

    public void CrashAt(StepPhase phase, string operation, Func<Step, bool>? where = null, int times = 1) =>
        Add(new Rule(phase, operation, where, times, step => throw new SimulatedCrash(step)));

    internal async Task PassAsync(Step step)
    {
        _trace.Enqueue(step);
        Rule? rule;
        lock (_rules)
        {
            rule = _rules.FirstOrDefault(r => r.Phase == step.Phase && r.Operation == step.Operation && r.Remaining > 0 && (r.Where?.Invoke(step) ?? true));
            if (rule is not null)
            {
                rule.Remaining--;
            }
        }

        if (rule is not null)
        {
            await rule.Act(step);
        }
    }

    private void Add(Rule rule)
    {
        lock (_rules)
        {
            _rules.Add(rule);
        }
    }

    private sealed class Rule(StepPhase phase, string operation, Func<Step, bool>? where, int times, Func<Step, Task> act)
    {
        public StepPhase Phase { get; } = phase;
        public string Operation { get; } = operation;
        public Func<Step, bool>? Where { get; } = where;
        public int Remaining { get; set; } = times;
        public Func<Step, Task> Act { get; } = act;
    }
}
