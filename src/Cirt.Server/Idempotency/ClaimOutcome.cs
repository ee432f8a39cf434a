namespace Cirt.Server.Idempotency;

/// <summary>
/// The outcome of <see cref="IRequestLedger.ClaimAsync"/>: <see cref="ClaimState.Won"/>; or the
/// recorded <see cref="Answer"/>; or held by another call, which asked <see cref="HeldDigest"/>.
/// </summary>
public sealed record ClaimOutcome(ClaimState State, RecordedAnswer? Answer = null, byte[]? HeldDigest = null)
{
    public static ClaimOutcome Won { get; } = new(ClaimState.Won);

    public static ClaimOutcome AnsweredWith(RecordedAnswer answer) => new(ClaimState.Answered, Answer: answer);

    public static ClaimOutcome HeldWith(byte[] digest) => new(ClaimState.Held, HeldDigest: digest);
}
