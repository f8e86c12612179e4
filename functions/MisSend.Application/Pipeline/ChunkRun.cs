using MisSend.Application.Model;
using MisSend.Core.Batches;

namespace MisSend.Application.Pipeline;

/// <summary>Why a chunk goes through the send path: a queue message, or an operator's release.</summary>
/// <param name="OperatorPolicy">What the operator adds to the job's own policy (internal domains, personal fields).</param>
/// <param name="ReleaseHaltedJob">The operator decided, on the record, to send a chunk of a halted job.</param>
public sealed record ChunkRun(OperatorAction? Operator, BatchPolicy? OperatorPolicy, bool ReleaseHaltedJob)
{
    public static readonly ChunkRun Queue = new(null, null, false);

    public bool IsRelease => Operator is not null;

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
