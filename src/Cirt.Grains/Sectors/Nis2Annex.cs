namespace Cirt.Grains.Sectors;

/// <summary>The NIS2 annex a sector is listed in.</summary>
public enum Nis2Annex
{
    None = 1,
    AnnexI = 2,
    AnnexII = 3,
}
