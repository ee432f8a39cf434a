namespace Cirt.Grains.Security;

/// <summary>The list of issued keys, for coordinators (no secrets). A single grain, key "national".</summary>
public interface IKeyRegistryGrain : IGrainWithStringKey
{
    public const string Key = "national";

    /// <summary>Adds or updates a key's listing.</summary>
    Task RecordAsync(ApiKeyInfo info);

    Task<ApiKeyInfo[]> ListAsync();
}
