namespace Cirt.Server.Federation;

/// <summary>
/// Who delivers a partner's outbox now: one holder at a time (an outbox dispatcher of one silo), until
/// <paramref name="ExpiresAt"/> unless renewed, so that a dead silo's claim passes to another.
/// </summary>
/// <param name="Holder">The dispatcher holding the claim; another dispatcher's name when the claim was not granted.</param>
/// <param name="Fence">Grows each time another holder takes the claim: outbox writes made under an older fence are refused.</param>
/// <param name="ExpiresAt">When the claim lapses unless renewed (the store's clock); the earliest another holder can take it.</param>
public sealed record DeliveryClaim(string PartnerId, string Holder, long Fence, DateTimeOffset ExpiresAt)
{
    /// <summary>True when <paramref name="holder"/> holds this claim.</summary>
    public bool IsHeldBy(string holder) => Holder == holder;
}
