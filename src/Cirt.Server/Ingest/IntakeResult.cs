using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Ingest;

/// <summary>What became of a batch offered to <see cref="EventIntake"/>.</summary>
/// <param name="Ack">The acknowledgement Publish answers: events accepted (durable now) and those refused, by index.</param>
/// <param name="RejectedKinds">Why each event of <c>Ack.Rejected</c> was refused, in the same order.</param>
/// <param name="Saturated">The log had no room in time: nothing of the batch was stored, and it may be sent again in a moment.</param>
public sealed record IntakeResult(Proto.BatchAck Ack, IReadOnlyList<IntakeRefusalKind> RejectedKinds, bool Saturated)
{
    /// <summary>Whether nothing of the batch was stored because one of its events was refused (whole-batch intake only).</summary>
    public bool RefusedWhole { get; init; }
}
