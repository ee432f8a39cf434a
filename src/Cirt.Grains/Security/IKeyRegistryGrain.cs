namespace Cirt.Grains.Security;

/// <summary>The list of issued keys, for coordinators (no secrets). A single grain, key "national".</summary>
public interface IKeyRegistryGrain : IGrainWithStringKey
{
    public const string Key = "national";

    /// <summary>Adds or updates a key's listing.</summary>
    Task RecordAsync(ApiKeyInfo info);

    /// <summary>
    /// Lists a key as revoked, unless it is the last active coordinator key (FailedPrecondition,
    /// <see cref="LastCoordinatorRule"/>). Revocations pass through this one grain one at a time, so
    /// two coordinators revoking each other's keys at once cannot both succeed.
    /// </summary>
    Task RecordRevocationAsync(ApiKeyInfo revoked);

    Task<ApiKeyInfo[]> ListAsync();
}
