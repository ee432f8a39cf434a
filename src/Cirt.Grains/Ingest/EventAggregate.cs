namespace Cirt.Grains.Ingest;

/// <summary>
/// What one pass over the ingest log adds to one aggregate (stakeholder, RSIT class and type, UTC
/// day). Applying the same delta twice changes nothing: it carries the log position it counts up to.
/// <see cref="Tlp"/> is the most restrictive label of its events (<see cref="AutomatedTlp"/>).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("cirt.EventAggregate")]
public sealed record EventAggregate(
    [property: Id(0)] string StakeholderId,
    [property: Id(1)] string RsitClass,
    [property: Id(2)] string RsitType,
    [property: Id(3)] DateOnly Day,
    [property: Id(4)] long UpToSeq,
    [property: Id(5)] long NewEvents,
    [property: Id(6)] long Duplicates,
    [property: Id(7)] Incidents.Observable[] Observables,
    [property: Id(8)] string[] MalwareFamilies,
    [property: Id(9)] string[] Feeds,
    [property: Id(10)] Incidents.Tlp Tlp)
{
    /// <summary>Its events per feed and producing key (<see cref="AutomatedSources"/>).</summary>
    [Id(11)] public AutomatedSource[] Sources { get; init; } = [];

    /// <summary>
    /// When the earliest of its events was observed (their <c>observed_at</c>): the incident is dated
    /// by it. Unset (the default) in a delta from before it was carried: the incident keeps its dates.
    /// </summary>
    [Id(12)] public DateTimeOffset FirstObservedAt { get; init; }

    /// <summary>
    /// The most severe of its events' severities: the one each event or its feed named, else the
    /// table's for the RSIT class and type (<see cref="Taxonomy.AutomatedSeverity"/>).
    /// </summary>
    [Id(13)] public Incidents.Severity Severity { get; init; }

    public string Key => KeyOf(StakeholderId, RsitClass, RsitType, Day);

    public static string KeyOf(string stakeholderId, string rsitClass, string rsitType, DateOnly day) =>
        $"{stakeholderId}|{rsitClass}|{rsitType}|{day:yyyy-MM-dd}";
}
