using Orleans.Storage;

namespace Cirt.Server.Storage;

/// <summary>
/// The cluster profile's grain storage named <c>cirt</c>: the state of grains that holds a growing
/// collection (an incident's observables, a catalog's ids) goes to Azure Blob storage, which takes
/// any size; the rest to Azure Table storage, whose entity caps Orleans state near 1 MB (Azurite:
/// near 786 KB). The choice is by state name, so a grain's state always lives in the same place.
/// docs/cluster.md lists the largest state each grain was measured to produce.
/// </summary>
public sealed class ClusterGrainStorage(IGrainStorage table, IGrainStorage blob) : IGrainStorage
{
    /// <summary>Name of the Table provider this one routes to.</summary>
    public const string TableProvider = "cirt-table";

    /// <summary>Name of the Blob provider this one routes to.</summary>
    public const string BlobProvider = "cirt-blob";

    /// <summary>State names (as in [PersistentState]) kept in Blob storage.</summary>
    public static readonly IReadOnlySet<string> BlobStates = new HashSet<string>(StringComparer.Ordinal)
    {
        "incident",          // observables, notes, tasks and history: measured 1.1 MB, bounded near 4 MB
        "foreign-incident",  // a partner's incident and its early follow-ups
        "advisory",          // advisory text and affected products, published as written
        "advisory-catalog",  // every advisory id, and every id received from partners
        "partner-catalog",   // every partner id
        "key-registry",      // every API key's description
        "sector-catalog",    // every sector code
        "sector",            // every stakeholder id of the sector
        "stakeholder",       // a constituency of up to 10,000 prefixes, ASNs and domains: up to 2.6 MB
        "feed-registry",     // every feed
        "seed-ledger",       // every seed entry applied
    };

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        For(stateName).ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        For(stateName).WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        For(stateName).ClearStateAsync(stateName, grainId, grainState);

    /// <summary>Whether state named <paramref name="stateName"/> is kept in Blob storage.</summary>
    public static bool InBlob(string stateName) => BlobStates.Contains(stateName);

    private IGrainStorage For(string stateName) => InBlob(stateName) ? blob : table;
}
