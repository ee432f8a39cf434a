using Cirt.Server.Storage;

namespace Cirt.Server;

/// <summary>The configuration section "Cirt" (environment variables Cirt__Key).</summary>
public sealed class CirtOptions
{
    public const string Section = "Cirt";

    /// <summary>Storage profile: Embedded (default) or Memory.</summary>
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

    /// <summary>What is wrong with these settings, one sentence each naming the setting; empty when nothing is.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            yield return $"{Section}:{nameof(DataDirectory)} must name a folder.";
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
