using Cirt.Server.Idempotency;

namespace Cirt.Server.Tests.Idempotency;

/// <summary>What both ledgers promise: an answer is found by its whole key within the window, and pruned past it.</summary>
public abstract class RequestLedgerContractTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    protected abstract IRequestLedger Ledger { get; }

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
}
