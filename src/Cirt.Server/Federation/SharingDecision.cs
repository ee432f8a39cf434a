using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Federation;

/// <summary>
/// What <see cref="SharingPolicy.Decide"/> lets leave for one partner: nothing
/// (<see cref="Refused"/>), a redacted version that waits for a coordinator (<see cref="Held"/>),
/// or the payload that leaves (<see cref="Send"/>). These three are the only kinds.
/// </summary>
public abstract record SharingDecision
{
    private SharingDecision()
    {
    }

    /// <summary>Nothing is queued for the partner.</summary>
    /// <param name="Reason">Why, in words a coordinator understands (shown where they shared the item).</param>
    public sealed record Refused(string Reason) : SharingDecision;

    /// <summary>Personal data was found in free text: the message waits for a coordinator to approve or discard it.</summary>
    /// <param name="Redacted">What approving sends: every finding replaced by a marker, the agreement's redactions and pseudonyms applied.</param>
    /// <param name="Findings">What was found and where, in field order.</param>
    public sealed record Held(Proto.FederatedPayload Redacted, IReadOnlyList<Proto.PersonalDataFinding> Findings) : SharingDecision;

    /// <summary>The item may leave as it is here: redacted as the agreement requires, pseudonyms applied.</summary>
    public sealed record Send(Proto.FederatedPayload Payload) : SharingDecision;
}
