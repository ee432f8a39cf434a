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

    /// <summary>The stakeholder confirms that its contacts work: all are verified now, and a pending request is answered.</summary>
    Task<Stakeholder> ConfirmContactsAsync(string actor);

    /// <summary>Asks the stakeholder to confirm its contacts (a verification round); a pending request stays as it is.</summary>
    Task<Stakeholder> RequestVerificationAsync(string actor);
}
