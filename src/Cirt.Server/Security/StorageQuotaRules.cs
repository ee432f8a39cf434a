namespace Cirt.Server.Security;

/// <summary>
/// Which calls count against their key's storage quota (<see cref="StorageQuota"/>): every call of
/// the Cirt API that changes something, by the size of what it sends (titles, descriptions,
/// observables, notes, advisory text...). Calls that only read store nothing, and automated events
/// have a back-pressure of their own (the ingest log's queue bounds, refused with
/// RESOURCE_EXHAUSTED there). A new method counts until it is listed here: a forgotten writer cannot
/// escape the quota.
/// </summary>
public static class StorageQuotaRules
{
    /// <summary>The Cirt API's methods that do not count, each for a reason.</summary>
    public static readonly IReadOnlySet<string> NotCounted = new HashSet<string>(StringComparer.Ordinal)
    {
        // Reads: they store nothing.
        "/cirt.v1.IncidentService/ListIncidents",
        "/cirt.v1.IncidentService/WatchIncidents",
        "/cirt.v1.IncidentService/GetIncident",
        "/cirt.v1.IncidentService/ListDeadlines",
        "/cirt.v1.IncidentService/ListTasks",
        "/cirt.v1.StakeholderService/GetStakeholder",
        "/cirt.v1.StakeholderService/ListStakeholders",
        "/cirt.v1.SectorService/GetSector",
        "/cirt.v1.SectorService/ListSectors",
        "/cirt.v1.PlaybookService/ListPlaybooks",
        "/cirt.v1.PlaybookService/GetPlaybook",
        "/cirt.v1.AdvisoryService/GetAdvisory",
        "/cirt.v1.AdvisoryService/ListAdvisories",
        "/cirt.v1.StixService/ExportAdvisory",
        "/cirt.v1.StixService/ExportIncident",
        "/cirt.v1.InboxService/FollowInbox",
        "/cirt.v1.IngestService/ListUnmatchedEvents",
        "/cirt.v1.IngestService/GetIngestStats",
        "/cirt.v1.FeedService/ListFeeds",
        "/cirt.v1.FeedService/GetFeed",
        "/cirt.v1.PartnerService/GetLocalIdentity",
        "/cirt.v1.PartnerService/ListPartners",
        "/cirt.v1.PartnerService/GetPartner",
        "/cirt.v1.PartnerService/ListOutbox",
        "/cirt.v1.PartnerService/GetOutboxMessage",
        "/cirt.v1.PartnerService/ListEgress",
        "/cirt.v1.PartnerService/ListInboundRefusals",
        "/cirt.v1.KeyService/ListKeys",
        "/cirt.v1.KeyService/WhoAmI",

        // Automated events: bounded by the ingest log's own back-pressure, not by this quota.
        "/cirt.v1.IngestService/Stream",
        "/cirt.v1.IngestService/Publish",

        // A backup copies what is stored already (coordinators only); its request is a name.
        "/cirt.v1.AdminService/Backup",
    };

    /// <summary>Whether a call of <paramref name="method"/> ("/cirt.v1.Service/Method") counts against its key's quota.</summary>
    public static bool Counts(string method) =>
        method.StartsWith("/cirt.", StringComparison.Ordinal) && !NotCounted.Contains(method);
}
