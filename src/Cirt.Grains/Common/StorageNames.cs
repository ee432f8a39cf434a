namespace Cirt.Grains.Common;

/// <summary>Names of the Orleans storage providers the grains use.</summary>
public static class StorageNames
{
    /// <summary>Grain state of every Cirt grain.</summary>
    public const string Cirt = "cirt";
}
