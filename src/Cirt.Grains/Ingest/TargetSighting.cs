namespace Cirt.Grains.Ingest;

/// <summary>
/// A target as the duplicate window remembers it: the hash of its feed, type and target, and when it
/// was last seen (observation time, UTC ticks). What the window's runs on disk hold, 16 bytes each.
/// </summary>
public readonly record struct TargetSighting(ulong Key, long At);
