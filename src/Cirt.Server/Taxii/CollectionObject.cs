namespace Cirt.Server.Taxii;

/// <summary>One version of one STIX object in a partner's collection.</summary>
/// <param name="DateAdded">When this version entered the collection: when its message did (microseconds).</param>
/// <param name="MessageId">The outbox message that added it (or revoked it).</param>
public sealed record CollectionObject(StixObjectVersion Object, DateTimeOffset DateAdded, string MessageId)
{
    public string Id => Object.Id;

    public string Type => Object.Type;

    public string SpecVersion => Object.SpecVersion;

    public DateTimeOffset Version => Object.Version;

    public string VersionText => Object.VersionText;

    public bool Revoked => Object.Revoked;

    public string Json => Object.Json;

    /// <summary>Where it stands in the collection's order: by date added, then id, then version.</summary>
    public CollectionPosition Position => new(DateAdded, Id, Version);
}
