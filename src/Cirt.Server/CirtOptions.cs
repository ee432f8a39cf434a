using Cirt.Server.Storage;

namespace Cirt.Server;

/// <summary>The configuration section "Cirt" (environment variables Cirt__Key).</summary>
public sealed class CirtOptions
{
    public const string Section = "Cirt";

    /// <summary>Storage profile: Embedded (default), Cluster or Memory.</summary>
    public StorageProfile Storage { get; set; } = StorageProfile.Embedded;

    /// <summary>Folder of the embedded profile's SQLite file (cirt.db); created when missing.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Folder holding the seed files; defaults to the seeds/ copied beside the server binary.</summary>
    public string? SeedDirectory { get; set; }

    /// <summary>Whether to load the seeds at start (idempotent).</summary>
    public bool LoadSeeds { get; set; } = true;

    /// <summary>Orleans silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Orleans client gateway port.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The cluster's name: silos with the same ClusterId (and ServiceId) find each other and form one cluster.</summary>
    public string ClusterId { get; set; } = "cirt";

    /// <summary>The service's name: stays the same across deployments, as it keys the grain state and reminders.</summary>
    public string ServiceId { get; set; } = "cirt";

    /// <summary>The cluster profile's Azure Storage names and silo addresses (Cirt:Cluster); read only when <see cref="Storage"/> is Cluster.</summary>
    public ClusterProfileOptions Cluster { get; set; } = new();

    /// <summary>What is wrong with these settings, one sentence each naming the setting; empty when nothing is.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            yield return $"{Section}:{nameof(DataDirectory)} must name a folder.";
        }

        foreach (var (name, value) in new[] { (nameof(ClusterId), ClusterId), (nameof(ServiceId), ServiceId) })
        {
            // Both end up in Azure Table partition keys and PostgreSQL rows: keep them plain.
            if (string.IsNullOrWhiteSpace(value) || value.Length > 64 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                yield return $"{Section}:{name} must be 1 to 64 letters, digits, '-' or '_' (it is '{value}').";
            }
        }

        if (Storage == StorageProfile.Cluster)
        {
            foreach (var problem in Cluster.Problems())
            {
                yield return problem;
            }
        }

        foreach (var (name, value) in new[] { (nameof(SiloPort), SiloPort), (nameof(GatewayPort), GatewayPort) })
        {
            if (value is < 0 or > 65535)
            {
                yield return $"{Section}:{name} must be a port from 0 to 65535 (it is {value}).";
            }
        }
    }

    public string ResolveSeedDirectory() => SeedDirectory ?? Path.Combine(AppContext.BaseDirectory, "seeds");

    public string DatabasePath() => Path.Combine(Path.GetFullPath(DataDirectory), "cirt.db");
}
