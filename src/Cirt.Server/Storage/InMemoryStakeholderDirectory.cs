using System.Collections.Concurrent;
using Cirt.Grains.Stakeholders;

namespace Cirt.Server.Storage;

/// <summary>The stakeholder directory of the memory profile (tests).</summary>
public sealed class InMemoryStakeholderDirectory : IStakeholderDirectory
{
    private readonly ConcurrentDictionary<string, Stakeholder> _rows = new(StringComparer.Ordinal);

    private long _changeCount;

    public long ChangeCount => Interlocked.Read(ref _changeCount);

    public Task UpsertAsync(Stakeholder stakeholder, CancellationToken cancellationToken = default)
    {
        _rows.AddOrUpdate(stakeholder.Id, stakeholder, (_, old) => stakeholder.Version >= old.Version ? stakeholder : old);
        Interlocked.Increment(ref _changeCount);
        return Task.CompletedTask;
    }

    public Task<(IReadOnlyList<Stakeholder> Page, int Total)> ListAsync(string? sectorCode, int offset, int limit, CancellationToken cancellationToken = default)
    {
        var all = _rows.Values
            .Where(s => sectorCode is null || s.SectorCodes.Contains(sectorCode))
            .OrderBy(s => s.Id, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult<(IReadOnlyList<Stakeholder>, int)>((all.Skip(offset).Take(limit).ToArray(), all.Count));
    }
}
