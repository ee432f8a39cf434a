using Orleans.Storage;

namespace Cirt.Grains.Common;

/// <summary>
/// Grains that adopt the next version of their state only once it is written: a failed write leaves
/// the grain as it was stored.
/// </summary>
public static class StoredChanges
{
    /// <summary>
    /// Writes the state, which already holds the next version. When the write fails, <paramref name="undo"/>
    /// puts the previous version back and <paramref name="grain"/> deactivates (its next call reloads what
    /// storage holds). A concurrent write (<see cref="InconsistentStateException"/>) is rethrown: the caller
    /// reloads and tries again. Any other failure is logged with <paramref name="logNotStored"/> and
    /// becomes a <see cref="ChangeNotStoredException"/> saying <paramref name="notStored"/>.
    /// </summary>
    public static async Task WriteOrUndoAsync<TState>(
        this IPersistentState<TState> state,
        IGrainBase grain,
        Action undo,
        Action<Exception> logNotStored,
        string notStored)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            undo();
            grain.DeactivateOnIdle();
            if (ex is InconsistentStateException)
            {
                throw; // someone else wrote meanwhile: the caller reloads and tries again
            }

            logNotStored(ex);
            throw new ChangeNotStoredException(notStored);
        }
    }
}
