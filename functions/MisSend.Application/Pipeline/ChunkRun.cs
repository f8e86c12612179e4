using MisSend.Application.Model;
using MisSend.Core.Batches;

namespace MisSend.Application.Pipeline;

/// <summary>Why a chunk goes through the send path: a queue message, or an operator's release.</summary>
/// <param name="OperatorPolicy">What the operator adds to the job's own policy (internal domains, personal fields).</param>
/// <param name="ReleaseHaltedJob">The operator decided, on the record, to send a chunk of a halted job.</param>
public sealed record ChunkRun(OperatorAction? Operator, BatchPolicy? OperatorPolicy, bool ReleaseHaltedJob)
{
    public static readonly ChunkRun Queue = new(null, null, false);

    /// <summary>The timer's sweep finishing a chunk from its kept body.</summary>
    public static readonly ChunkRun Sweep = new(null, null, false) { Unattended = true };

    public bool IsRelease => Operator is not null;

    /// <summary>No queue message stands behind the run (a release, the sweep): the chunk is flagged while it is in flight, so the sweep finds it if this worker dies.</summary>
    public bool Unattended { get; init; }

    /// <summary>The job's own policy (kept with its body) plus the operator's internal domains and personal fields: nothing the job declared is dropped.</summary>
    public BatchPolicy PolicyFor(BatchPolicy job) => OperatorPolicy is not { } op
        ? job
        : job with
        {
            PersonalFields = job.PersonalFields.Union(op.PersonalFields, StringComparer.Ordinal).ToArray(),
            InternalDomains = job.InternalDomains.Union(op.InternalDomains, StringComparer.OrdinalIgnoreCase).ToArray(),
            SubjectKeyField = job.SubjectKeyField ?? op.SubjectKeyField,
        };
}
