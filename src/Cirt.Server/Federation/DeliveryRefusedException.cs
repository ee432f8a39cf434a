using Grpc.Core;

namespace Cirt.Server.Federation;

/// <summary>An incoming delivery refused by one of <see cref="InboundDelivery"/>'s checks: the status to answer, a short code to count it by, and why.</summary>
public sealed class DeliveryRefusedException(StatusCode status, string code, string reason) : Exception(reason)
{
    public StatusCode Status { get; } = status;

    /// <summary>What the refusal is counted and logged as, e.g. "bad_signature".</summary>
    public string Code { get; } = code;
}
