using Cirt.Server.Idempotency;

namespace Cirt.Server.Tests.Idempotency;

/// <summary>
/// What every ledger promises: an answer is found by its whole key within the window, and pruned past
/// it; a request key is claimed by one call at a time, until it is answered, released, or the claim
/// expires unrenewed.
/// </summary>
public abstract class RequestLedgerContractTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    protected abstract IRequestLedger Ledger { get; }

    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    private static RequestClaim Claim(Guid holder, byte[] digest, TimeSpan lifetime, DateTimeOffset? notBefore = null) =>
        new(holder, digest, At, notBefore ?? At.AddHours(-1), lifetime);

    private static RequestKey Key(string keyId = "k1", string method = "/cirt.v1.IncidentService/AddNote", string requestId = "r1") => new(keyId, method, requestId);

    [Fact]
    public async Task AnAnswerIsFoundByItsWholeKeyOnly()
    {
        await Ledger.RecordAsync(Key(), new RecordedAnswer([1, 2], [3, 4, 5], At));

        var found = await Ledger.FindAsync(Key(), At.AddHours(-1), CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal([1, 2], found.RequestDigest);
        Assert.Equal([3, 4, 5], found.Response);
        Assert.Equal(At, found.RecordedAt);
        Assert.Null(await Ledger.FindAsync(Key(keyId: "k2"), At.AddHours(-1), CancellationToken.None));
        Assert.Null(await Ledger.FindAsync(Key(method: "/cirt.v1.IncidentService/AddTask"), At.AddHours(-1), CancellationToken.None));
        Assert.Null(await Ledger.FindAsync(Key(requestId: "r2"), At.AddHours(-1), CancellationToken.None));
    }

    [Fact]
    public async Task AnAnswerOlderThanTheWindowIsNotFoundAndIsPruned()
    {
        await Ledger.RecordAsync(Key(requestId: "old"), new RecordedAnswer([1], [1], At));
        await Ledger.RecordAsync(Key(requestId: "new"), new RecordedAnswer([2], [2], At.AddHours(2)));

        Assert.Null(await Ledger.FindAsync(Key(requestId: "old"), At.AddHours(1), CancellationToken.None));
        Assert.Equal(1, await Ledger.PruneAsync(At.AddHours(1)));
        Assert.NotNull(await Ledger.FindAsync(Key(requestId: "new"), At.AddHours(1), CancellationToken.None));
        Assert.Null(await Ledger.FindAsync(Key(requestId: "old"), At.AddHours(-1), CancellationToken.None));
    }

    [Fact]
    public async Task AnAnswerPastTheWindowIsReplacedByTheNextRecord()
    {
        await Ledger.RecordAsync(Key(), new RecordedAnswer([1], [1], At));
        await Ledger.RecordAsync(Key(), new RecordedAnswer([2], [2], At.AddDays(2)));

        var found = await Ledger.FindAsync(Key(), At.AddDays(1), CancellationToken.None);

        Assert.Equal([2], found!.Response);
    }

    [Fact]
    public async Task TheFirstClaimWinsAndAnotherHolderFindsItHeldWithWhatItAsked()
    {
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());

        var won = await Ledger.ClaimAsync(Key(), Claim(first, [7], Long), CancellationToken.None);
        var held = await Ledger.ClaimAsync(Key(), Claim(second, [8], Long), CancellationToken.None);

        Assert.Equal(ClaimState.Won, won.State);
        Assert.Equal(ClaimState.Held, held.State);
        Assert.Equal([7], held.HeldDigest);
        Assert.Null(await Ledger.FindAsync(Key(), At.AddHours(-1), CancellationToken.None));
        Assert.Equal(ClaimState.Won, (await Ledger.ClaimAsync(Key(requestId: "r2"), Claim(second, [8], Long), CancellationToken.None)).State);
    }

    [Fact]
    public async Task ARecordedAnswerEndsTheClaimAndAnswersTheNextClaim()
    {
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        await Ledger.ClaimAsync(Key(), Claim(first, [7], Long), CancellationToken.None);

        await Ledger.RecordAsync(Key(), new RecordedAnswer([7], [1, 2, 3], At));
        var next = await Ledger.ClaimAsync(Key(), Claim(second, [7], Long), CancellationToken.None);

        Assert.Equal(ClaimState.Answered, next.State);
        Assert.Equal([1, 2, 3], next.Answer!.Response);
        Assert.Equal([7], next.Answer.RequestDigest);
        Assert.False(await Ledger.RenewAsync(Key(), first, Long));
    }

    [Fact]
    public async Task AClaimIsReleasedByItsHolderOnlyAndThenTheNextCallWins()
    {
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        await Ledger.ClaimAsync(Key(), Claim(first, [7], Long), CancellationToken.None);

        await Ledger.ReleaseAsync(Key(), second);
        Assert.Equal(ClaimState.Held, (await Ledger.ClaimAsync(Key(), Claim(second, [7], Long), CancellationToken.None)).State);
        await Ledger.ReleaseAsync(Key(), first);

        Assert.Equal(ClaimState.Won, (await Ledger.ClaimAsync(Key(), Claim(second, [7], Long), CancellationToken.None)).State);
        Assert.True(await Ledger.RenewAsync(Key(), second, Long));
        Assert.False(await Ledger.RenewAsync(Key(), first, Long));
    }

    [Fact]
    public async Task AClaimWhoseHolderStoppedRenewingItExpiresAndIsTakenOver()
    {
        var (dead, next) = (Guid.NewGuid(), Guid.NewGuid());
        await Ledger.ClaimAsync(Key(), Claim(dead, [7], TimeSpan.FromMilliseconds(200)), CancellationToken.None);

        await Eventually.ReadAsync(
            () => Ledger.ClaimAsync(Key(), Claim(next, [7], Long), CancellationToken.None),
            outcome => outcome.State == ClaimState.Won,
            "The claim of a holder that stopped renewing it was never taken over.");

        Assert.False(await Ledger.RenewAsync(Key(), dead, Long));
        Assert.Equal(ClaimState.Held, (await Ledger.ClaimAsync(Key(), Claim(dead, [7], Long), CancellationToken.None)).State);
    }

    [Fact]
    public async Task AnAnswerPastTheWindowIsClaimedAfresh()
    {
        await Ledger.RecordAsync(Key(), new RecordedAnswer([7], [1], At.AddHours(-2)));

        var claim = await Ledger.ClaimAsync(Key(), Claim(Guid.NewGuid(), [8], Long, notBefore: At.AddHours(-1)), CancellationToken.None);

        Assert.Equal(ClaimState.Won, claim.State);
        Assert.Equal(ClaimState.Held, (await Ledger.ClaimAsync(Key(), Claim(Guid.NewGuid(), [8], Long, notBefore: At.AddHours(-1)), CancellationToken.None)).State);
    }

    [Fact]
    public async Task PruningForgetsExpiredClaimsAndKeepsLiveOnes()
    {
        await Ledger.ClaimAsync(Key(requestId: "dead"), Claim(Guid.NewGuid(), [7], TimeSpan.FromMilliseconds(200)), CancellationToken.None);
        await Ledger.ClaimAsync(Key(requestId: "live"), Claim(Guid.NewGuid(), [8], Long), CancellationToken.None);

        await Eventually.ReadAsync(() => Ledger.PruneAsync(At.AddHours(1)), pruned => pruned == 1, "The expired claim was never pruned.");

        var live = await Ledger.ClaimAsync(Key(requestId: "live"), Claim(Guid.NewGuid(), [8], Long), CancellationToken.None);
        Assert.Equal(ClaimState.Held, live.State);
        Assert.Equal(0, await Ledger.PruneAsync(At.AddHours(1)));
    }
}
