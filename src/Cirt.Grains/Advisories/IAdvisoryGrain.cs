namespace Cirt.Grains.Advisories;

/// <summary>One advisory, keyed by its id (e.g. "ADV-2026-0007"). Its rules are <see cref="AdvisoryRules"/>.</summary>
public interface IAdvisoryGrain : IGrainWithStringKey
{
    Task<Advisory?> GetAsync();

    Task<Advisory> CreateAsync(AdvisoryContent content, string actor);

    /// <summary>Changes a draft, or a published advisory (new recipients get it at once).</summary>
    Task<Advisory> UpdateAsync(AdvisoryContent content, string[] recipients, long expectedVersion, string actor);

    /// <summary>Publishes a draft to <paramref name="recipients"/> (worked out by the caller from the targets).</summary>
    Task<Advisory> PublishAsync(string[] recipients, long expectedVersion, string actor);

    Task<Advisory> WithdrawAsync(string reason, string actor);

    /// <summary>A recipient acknowledges; acknowledging twice changes nothing.</summary>
    Task<Advisory> AcknowledgeAsync(string stakeholderId, string actor);
}
