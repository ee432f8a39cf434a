namespace Cirt.Server.Storage;

/// <summary>Where Cirt keeps its data; chosen by the configuration key Cirt:Storage.</summary>
public enum StorageProfile
{
    /// <summary>Single silo, everything durable in one SQLite file under Cirt:DataDirectory.</summary>
    Embedded,

    /// <summary>Nothing durable: for tests only.</summary>
    Memory,

    /// <summary>
    /// Several silos: Orleans membership, grain state and reminders on Azure Storage
    /// (ConnectionStrings:AzureStorage; Azurite locally), the read model, the ingest log, the request
    /// ledger and the federation store in PostgreSQL (ConnectionStrings:Postgres).
    /// </summary>
    Cluster,
}
