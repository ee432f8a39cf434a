namespace Cirt.Grains.Incidents;

/// <summary>One row of the incident queue (the read model).</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.IncidentSummary")]
public sealed record IncidentSummary(
    [property: Id(0)] string TrackingId,
    [property: Id(1)] string Title,
    [property: Id(2)] IncidentStatus Status,
    [property: Id(3)] Severity Severity,
    [property: Id(4)] Tlp Tlp,
    [property: Id(5)] string ReporterStakeholderId,
    [property: Id(6)] string[] SectorCodes,
    [property: Id(7)] string[] AffectedStakeholderIds,
    [property: Id(8)] string RsitClass,
    [property: Id(9)] string RsitType,
    [property: Id(10)] string Assignee,
    [property: Id(11)] DateTimeOffset ReportedAt,
    [property: Id(12)] DateTimeOffset UpdatedAt,
    [property: Id(13)] long Version,
    [property: Id(14)] Deadline[] Deadlines)
{
    /// <summary>The incident's tasks as published (empty where a listing does not need them).</summary>
    [Id(15)]
    public IncidentTask[] Tasks { get; init; } = [];

    /// <summary>An exercise incident (left out of statistics).</summary>
    [Id(16)]
    public bool Exercise { get; init; }

    /// <summary>The severity its reporter claimed; <see cref="Severity"/> is the CIRT's, set at triage.</summary>
    [Id(20)]
    public Severity ReportedSeverity { get; init; }

    /// <summary>For a foreign incident, the partner instance it came from; empty for our own.</summary>
    [Id(21)]
    public string OriginInstanceId { get; init; } = "";
}
