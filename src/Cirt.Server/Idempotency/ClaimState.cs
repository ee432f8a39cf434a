namespace Cirt.Server.Idempotency;

/// <summary>What a claim on a request key found (<see cref="ClaimOutcome"/>).</summary>
public enum ClaimState
{
    /// <summary>The key is this call's: run the request, then record its answer (or release the claim).</summary>
    Won,

    /// <summary>The request was answered within the window: its answer is the outcome's.</summary>
    Answered,

    /// <summary>Another call (on this silo or another) holds a live claim: wait for its answer.</summary>
    Held,
}
