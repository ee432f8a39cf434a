namespace Cirt.Grains.Sectors;

/// <summary>One critical sector, keyed by its code (e.g. "ENERGY").</summary>
public interface ISectorGrain : IGrainWithStringKey
{
    /// <summary>Creates the sector; fails with AlreadyExists if it exists.</summary>
    Task<Sector> CreateAsync(SectorDefinition definition, string actor);

    /// <summary>Changes the definition; a non-zero <paramref name="expectedVersion"/> must match.</summary>
    Task<Sector> UpdateAsync(SectorDefinition definition, long expectedVersion, string actor);

    /// <summary>The sector, or null when it does not exist.</summary>
    Task<Sector?> GetAsync();

    /// <summary>Sets the sector's alert level by hand (1-5) with a reason, or clears it (null).</summary>
    Task<Sector> SetManualAlertAsync(int? level, string reason, string actor);

    /// <summary>Records that a stakeholder joined the sector.</summary>
    Task AddStakeholderAsync(string stakeholderId);

    /// <summary>Records that a stakeholder left the sector.</summary>
    Task RemoveStakeholderAsync(string stakeholderId);
}
