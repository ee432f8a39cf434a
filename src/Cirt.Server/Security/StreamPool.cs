namespace Cirt.Server.Security;

/// <summary>The limits a streaming call counts against.</summary>
public enum StreamPool
{
    /// <summary>Inbox streams, reflection and health watches: Cirt:Security:StreamsPerKey and StreamsTotal.</summary>
    General = 0,

    /// <summary>IngestService/Stream: Cirt:Security:IngestStreamsPerKey and IngestStreamsTotal.</summary>
    Ingest = 1,
}
