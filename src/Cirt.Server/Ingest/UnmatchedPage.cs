namespace Cirt.Server.Ingest;

/// <summary>A page of unmatched events, newest first, and how many there are in all.</summary>
public sealed record UnmatchedPage(long Total, IReadOnlyList<UnmatchedEvent> Events);
