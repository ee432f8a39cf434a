namespace Cirt.Grains.Stakeholders;

/// <summary>
/// The query side of stakeholders: stakeholder grains publish every change here, listings read it
/// instead of calling every grain.
/// </summary>
public interface IStakeholderDirectory
{
    Task UpsertAsync(Stakeholder stakeholder, CancellationToken cancellationToken = default);

    /// <summary>
    /// Grows with every change published: lets caches (routing) know when to rebuild. This process's
    /// changes count at once; in a cluster, other silos' changes count too, within a second or so.
    /// </summary>
    long ChangeCount { get; }

    /// <summary>Stakeholders ordered by id, optionally only those of <paramref name="sectorCode"/>.</summary>
    Task<(IReadOnlyList<Stakeholder> Page, int Total)> ListAsync(string? sectorCode, int offset, int limit, CancellationToken cancellationToken = default);
}
