using Cirt.Server.Security;

namespace Cirt.Server.Tests.Security;

/// <summary>One key's storage within a sliding window: 1,000 bytes per hour, in buckets of a minute.</summary>
public sealed class StorageLedgerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    private static StorageLedger Ledger() => new(1_000, TimeSpan.FromHours(1));

    [Fact]
    public void CallsAreChargedUntilTheQuotaAndTheNextIsRefusedSayingWhatIsUsedAndWhenItFrees()
    {
        var ledger = Ledger();

        Assert.True(ledger.TryCharge(600, Start, out _, out _, out _));
        Assert.True(ledger.TryCharge(300, Start.AddMinutes(10), out _, out _, out _));
        Assert.True(ledger.TryCharge(100, Start.AddMinutes(20), out _, out _, out _));
        var refused = !ledger.TryCharge(1, Start.AddMinutes(30), out var charge, out var refusal, out var first);

        Assert.True(refused);
        Assert.Null(charge);
        Assert.True(first);
        Assert.NotNull(refusal);
        Assert.Equal((1_000L, 1_000L, 1L), (refusal.QuotaBytes, refusal.UsedBytes, refusal.RequestBytes));
        // The 600 bytes of 08:00 leave the window at 09:00: then one more byte fits.
        Assert.Equal(Start.AddHours(1), refusal.FreesAt);
        Assert.Equal(TimeSpan.FromMinutes(30), refusal.RetryAfter);
        Assert.Equal(1_800, refusal.RetryAfterSeconds);
        Assert.Equal(1_000, ledger.UsedAt(Start.AddMinutes(30)));
    }

    [Fact]
    public void BytesLeaveTheWindowAsTheirMinuteGetsAnHourOldAndFreeAsMuchAsTheCallNeeds()
    {
        var ledger = Ledger();
        ledger.TryCharge(400, Start, out _, out _, out _);
        ledger.TryCharge(400, Start.AddMinutes(15), out _, out _, out _);

        Assert.False(ledger.TryCharge(600, Start.AddMinutes(20), out _, out var refusal, out _));
        // 200 over: the 400 of 08:00 are enough, and they go at 09:00.
        Assert.Equal(Start.AddHours(1), refusal.FreesAt);
        Assert.False(ledger.TryCharge(900, Start.AddMinutes(20), out _, out var larger, out _));
        // 700 over: both charges must go, the second at 09:15.
        Assert.Equal(Start.AddMinutes(75), larger.FreesAt);

        Assert.Equal(800, ledger.UsedAt(Start.AddMinutes(59).AddSeconds(59)));
        Assert.Equal(400, ledger.UsedAt(Start.AddHours(1)));
        Assert.True(ledger.TryCharge(600, Start.AddHours(1), out _, out _, out _));
        Assert.Equal(600, ledger.UsedAt(Start.AddMinutes(75)));
        Assert.Equal(0, ledger.UsedAt(Start.AddHours(3)));
    }

    [Fact]
    public void ARefundGivesBackWhatACallThatStoredNothingWasCharged()
    {
        var ledger = Ledger();
        Assert.True(ledger.TryCharge(900, Start, out var charge, out _, out _));

        ledger.Refund(charge);

        Assert.Equal(0, ledger.UsedAt(Start));
        Assert.True(ledger.TryCharge(1_000, Start.AddSeconds(1), out _, out _, out _));
    }

    [Fact]
    public void ARefundAfterItsMinuteLeftTheWindowTakesNothingFromLaterCharges()
    {
        var ledger = Ledger();
        Assert.True(ledger.TryCharge(500, Start, out var old, out _, out _));
        Assert.True(ledger.TryCharge(700, Start.AddHours(1), out _, out _, out _));

        ledger.Refund(old);

        Assert.Equal(700, ledger.UsedAt(Start.AddHours(1)));
    }

    [Fact]
    public void OnlyTheFirstRefusalAfterAnAcceptedCallIsMarkedFirst()
    {
        var ledger = Ledger();
        ledger.TryCharge(1_000, Start, out _, out _, out _);

        ledger.TryCharge(1, Start, out _, out _, out var first);
        ledger.TryCharge(1, Start, out _, out _, out var second);
        ledger.TryCharge(0, Start, out _, out _, out _);
        ledger.TryCharge(1, Start, out _, out _, out var afterAccepted);

        Assert.Equal((true, false, true), (first, second, afterAccepted));
    }

    [Fact]
    public void TheRefusalTellsTheQuotaWhatIsUsedWhatTheCallAddsAndWhenToRetry()
    {
        var refusal = new StorageRefusal(67_108_864, TimeSpan.FromHours(24), 66_000_000, 1_572_864, Start, Start.AddMinutes(24).AddMilliseconds(500));

        Assert.Equal(
            "Storage quota of this key reached: it may store 67,108,864 bytes per 24 h; it stored 66,000,000 in the last 24 h and this call adds 1,572,864. "
            + "Nothing was stored. Enough frees at 2026-11-20T08:24:00Z: retry after 1441 s, or ask the CIRT to raise Cirt:Security:StorageQuotaBytes.",
            refusal.Message);
        Assert.Equal("90 min", StorageRefusal.WindowText(TimeSpan.FromMinutes(90)));
        Assert.Equal(1, new StorageRefusal(1, TimeSpan.FromHours(1), 1, 1, Start, Start).RetryAfterSeconds);
    }
}
