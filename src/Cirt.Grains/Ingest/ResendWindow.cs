namespace Cirt.Grains.Ingest;

/// <summary>
/// Recognises resent events: the keys (<see cref="EventKeys"/>) of the events stored lately, in
/// memory, so that telling a resend from a new event never reads the disk.
/// <para>
/// Memory is bounded by <see cref="Capacity"/>: keys are kept in two generations of at most
/// Capacity / 2 each. A pass's keys always join one generation whole (the storage keeps them as one
/// run per pass, tagged with its generation); when they would overflow the current generation, a new
/// one starts, the previous one is forgotten and its runs can be deleted. An event is therefore
/// recognised when resent while fewer than Capacity / 2 events were stored after it (at the default,
/// days of a national feed volume); older than that, a resend is stored again, as a new event.
/// </para>
/// <para>
/// Where a pass's keys go is decided before the pass is recorded (<see cref="Place"/>) and applied
/// once it is (<see cref="Add"/>), so that what is on disk and what is in memory agree after a crash.
/// </para>
/// </summary>
public sealed class ResendWindow
{
    private readonly int _generationSize;
    private HashSet<long> _current;
    private HashSet<long> _previous;

    public ResendWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        Capacity = capacity;
        _generationSize = capacity / 2;
        // Both sets sized once: a set grown by doubling leaves its outgrown arrays behind as
        // large-object garbage; a forgotten generation's set is emptied and reused.
        _current = new HashSet<long>(_generationSize);
        _previous = new HashSet<long>(_generationSize);
    }

    /// <summary>Keys remembered at most.</summary>
    public int Capacity { get; }

    /// <summary>The generation new keys join.</summary>
    public long Generation { get; private set; }

    /// <summary>Keys remembered now.</summary>
    public int Count => _current.Count + _previous.Count;

    public bool Contains(long key) => _current.Contains(key) || _previous.Contains(key);

    /// <summary>
    /// Where the keys of a pass of <paramref name="count"/> keys go: the current generation while it
    /// has room, else a new one, and then generations up to <see cref="Placement.Forgotten"/> are
    /// forgotten. Changes nothing: <see cref="Add"/> does, once the pass is recorded.
    /// </summary>
    public Placement Place(int count)
    {
        if (count > _generationSize)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count,
                $"A pass of {count} keys cannot join one generation of at most {_generationSize}: the capacity must be at least twice the largest pass.");
        }

        return _current.Count > 0 && _current.Count + count > _generationSize
            ? new Placement(Generation + 1, Generation > 0 ? Generation - 1 : null)
            : new Placement(Generation, null);
    }

    /// <summary>
    /// Adds a recorded pass's keys (or, at start, a stored run) where <paramref name="placement"/>
    /// says. A generation holds Capacity / 2 keys at most: a pass always fits (<see cref="Place"/>
    /// sees to it); of runs converted from the former key table, all of one generation, the keys
    /// beyond are not remembered.
    /// </summary>
    public void Add(Placement placement, IEnumerable<long> keys)
    {
        if (placement.Generation > Generation)
        {
            // The previous generation is forgotten; its emptied set serves as the new current one.
            // Two generations ahead (a run stored after a gap): nothing older is kept either.
            var forgotten = _previous;
            forgotten.Clear();
            _previous = placement.Generation == Generation + 1 ? _current : Empty(_current);
            _current = forgotten;
            Generation = placement.Generation;
        }
        else if (placement.Generation < Generation - 1)
        {
            return; // older than what is remembered
        }

        var into = placement.Generation == Generation ? _current : _previous;
        foreach (var key in keys)
        {
            if (into.Count >= _generationSize)
            {
                return;
            }

            into.Add(key);
        }
    }

    private static HashSet<long> Empty(HashSet<long> set)
    {
        set.Clear();
        return set;
    }

    /// <summary>The generation a pass's keys join, and the newest generation forgotten when they do (none when null).</summary>
    public readonly record struct Placement(long Generation, long? Forgotten);
}
