using Cirt.Server.Backup;
using Cirt.Server.Storage;

namespace Cirt.Server.Tests.Backup;

/// <summary>The barrier a backup takes its consistent point behind: writers wait while it is held and go on after; a writer that does not finish refuses the barrier in time.</summary>
public sealed class WriterBarrierTests : IDisposable
{
    private readonly SqliteDatabase _first = SqliteDatabase.InMemory("barrier-first");
    private readonly SqliteDatabase _second = SqliteDatabase.InMemory("barrier-second");

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }

    [Fact]
    public async Task WritersWaitWhileTheBarrierIsHeldAndGoOnOnceItIsReleased()
    {
        var barrier = await WriterBarrier.HoldAsync([_first, _second], TimeSpan.FromSeconds(5), CancellationToken.None);
        var first = _first.WriteAsync(() => Task.FromResult(1));
        var second = _second.WriteAsync(() => Task.FromResult(2));

        Assert.False(first.IsCompleted || second.IsCompleted, "a write went through a held barrier");
        await barrier.DisposeAsync();
        var written = await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(new[] { 1, 2 }, written);
    }

    [Fact]
    public async Task AWriterThatDoesNotFinishRefusesTheBarrierInTimeAndTheOtherSlotsAreGivenBack()
    {
        var finish = new TaskCompletionSource();
        var stuck = _second.WriteAsync(() => finish.Task);

        await Assert.ThrowsAsync<TimeoutException>(() => WriterBarrier.HoldAsync([_first, _second], TimeSpan.FromMilliseconds(200), CancellationToken.None))
            .WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(1, await _first.WriteAsync(() => Task.FromResult(1)).WaitAsync(TimeSpan.FromSeconds(5)));
        finish.SetResult();
        await stuck;
        Assert.Equal(2, await _second.WriteAsync(() => Task.FromResult(2)).WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
