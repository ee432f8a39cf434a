namespace Cirt.Server.Taxii;

/// <summary>One version of one STIX object in a partner's collection.</summary>
/// <param name="Id">The STIX id, e.g. "indicator--…".</param>
/// <param name="Version">Its modified time (created for objects that are never modified, such as marking definitions).</param>
/// <param name="VersionText">The version as the object writes it, e.g. "2026-03-01T09:30:00.000Z".</param>
/// <param name="DateAdded">When this version entered the collection: when its message became sendable (microseconds).</param>
/// <param name="Json">The object, serialised.</param>
public sealed record CollectionObject(
    string Id,
    string Type,
    string SpecVersion,
    DateTimeOffset Version,
    string VersionText,
    DateTimeOffset DateAdded,
    bool Revoked,
    string Json)
{
    /// <summary>Where it stands in the collection's order: by date added, then id, then version.</summary>
    public CollectionPosition Position => new(DateAdded, Id, Version);
}
