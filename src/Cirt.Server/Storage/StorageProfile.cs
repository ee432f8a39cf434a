namespace Cirt.Server.Storage;

/// <summary>Where Cirt keeps its data; chosen by the configuration key Cirt:Storage.</summary>
public enum StorageProfile
{
    /// <summary>Single silo, everything durable in one SQLite file under Cirt:DataDirectory.</summary>
    Embedded,

    /// <summary>Nothing durable: for tests only.</summary>
    Memory,
}
