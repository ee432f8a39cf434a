using Cirt.Grains.Ingest;
using Cirt.Grains.Stakeholders;

namespace Cirt.Server.Ingest;

/// <summary>
/// The routing index, rebuilt from the stakeholder directory whenever a stakeholder changed, so
/// that constituency edits apply to the next events without a restart. Read by the aggregator and,
/// for organisation feeds, by every ingest stream at once: one rebuild at a time, and the index is
/// published together with the change count it was built at.
/// </summary>
public sealed class ConstituencyIndexProvider(IStakeholderDirectory directory, ILogger<ConstituencyIndexProvider> logger)
{
    private const int PageSize = 500;
    private readonly SemaphoreSlim _rebuilding = new(1, 1);
    // Built at no change count a directory can report (the PostgreSQL directory says -1 until it has
    // read its count): the first look always builds the index from the directory.
    private Built _current = new(new ConstituencyIndex([]), long.MinValue);

    public async ValueTask<ConstituencyIndex> CurrentAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        if (directory.ChangeCount == current.At)
        {
            return current.Index;
        }

        await _rebuilding.WaitAsync(cancellationToken);
        try
        {
            // Read before listing: a change made while the list is read makes the next call rebuild again.
            var changes = directory.ChangeCount;
            current = Volatile.Read(ref _current);
            if (changes == current.At)
            {
                return current.Index;
            }

            var stakeholders = new List<Stakeholder>();
            for (var offset = 0; ; offset += PageSize)
            {
                var (page, total) = await directory.ListAsync(null, offset, PageSize, cancellationToken);
                stakeholders.AddRange(page);
                if (offset + PageSize >= total)
                {
                    break;
                }
            }

            var index = new ConstituencyIndex(stakeholders);
            Volatile.Write(ref _current, new Built(index, changes));
            logger.LogInformation("Routing index rebuilt: {Stakeholders} stakeholders, {Prefixes} prefixes", stakeholders.Count, index.PrefixCount);
            return index;
        }
        finally
        {
            _rebuilding.Release();
        }
    }

    private sealed record Built(ConstituencyIndex Index, long At);
}
