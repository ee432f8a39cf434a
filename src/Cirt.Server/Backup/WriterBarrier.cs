using Cirt.Server.Storage;

namespace Cirt.Server.Backup;

/// <summary>
/// Holds the writer slot of several databases at once (<see cref="SqliteDatabase.WriteAsync{T}(Func{Task{T}})"/>):
/// once held, every write that had begun on them has committed and none starts until the barrier is
/// released; writers queue meanwhile, nothing fails. All slots are asked for together, so that no
/// order of taking them can deadlock with a writer; if they are not all held within the timeout, the
/// ones held are given back at once (those still awaited as soon as they come) and the barrier is refused.
/// </summary>
public sealed class WriterBarrier : IAsyncDisposable
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Task> _holders = [];

    private WriterBarrier()
    {
    }

    /// <summary>Holds every writer slot of <paramref name="databases"/>; <see cref="TimeoutException"/> if they are not all held within <paramref name="timeout"/>.</summary>
    public static async Task<WriterBarrier> HoldAsync(IEnumerable<SqliteDatabase> databases, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var barrier = new WriterBarrier();
        var held = new List<Task>();
        foreach (var database in databases)
        {
            var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            held.Add(holding.Task);
            barrier._holders.Add(database.WriteAsync(async () =>
            {
                holding.TrySetResult();
                await barrier._release.Task;
            }));
        }

        try
        {
            await Task.WhenAll(held).WaitAsync(timeout, cancellationToken);
            return barrier;
        }
        catch
        {
            // Give back the slots held; a slot still awaited is given back as soon as it comes,
            // without the refusal waiting for the writer that holds it.
            barrier._release.TrySetResult();
            throw;
        }
    }

    /// <summary>Gives every slot back: the queued writers go on.</summary>
    public async ValueTask DisposeAsync()
    {
        _release.TrySetResult();
        await Task.WhenAll(_holders);
    }
}
