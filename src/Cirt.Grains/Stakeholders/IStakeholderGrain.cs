namespace Cirt.Grains.Stakeholders;

/// <summary>One stakeholder organisation, keyed by its id (e.g. "exampletel").</summary>
public interface IStakeholderGrain : IGrainWithStringKey
{
    /// <summary>Creates the stakeholder; fails with AlreadyExists if it exists.</summary>
    Task<Stakeholder> CreateAsync(StakeholderProfile profile, string actor);

    /// <summary>Replaces the profile; a non-zero <paramref name="expectedVersion"/> must match.</summary>
    Task<Stakeholder> UpdateAsync(StakeholderProfile profile, long expectedVersion, string actor);

    /// <summary>The stakeholder, or null when it does not exist.</summary>
    Task<Stakeholder?> GetAsync();
}
