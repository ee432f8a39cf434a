using Cirt.Grains.Security;

namespace Cirt.Server.Security;

/// <summary>
/// Which roles may call which method: the first gate of authorisation (object-level checks, such
/// as an operator reaching only its own organisation's incidents, follow in the services). A
/// method missing here is refused to everyone: new RPCs are closed until someone opens them.
/// </summary>
public static class AccessRules
{
    private static readonly Role[] Everyone = [Role.Operator, Role.Analyst, Role.Coordinator, Role.Partner];
    private static readonly Role[] Constituency = [Role.Operator, Role.Analyst, Role.Coordinator];
    private static readonly Role[] CirtStaff = [Role.Analyst, Role.Coordinator];
    private static readonly Role[] Coordinators = [Role.Coordinator];
    private static readonly Role[] Operators = [Role.Operator];
    private static readonly Role[] Partners = [Role.Partner];

    /// <summary>Methods callable without a key: health checks for load balancers and orchestrators.</summary>
    public static readonly IReadOnlySet<string> Anonymous = new HashSet<string>(StringComparer.Ordinal)
    {
        "/grpc.health.v1.Health/Check",
        "/grpc.health.v1.Health/Watch",
        "/grpc.health.v1.Health/List",
    };

    public static readonly IReadOnlyDictionary<string, Role[]> Roles = new Dictionary<string, Role[]>(StringComparer.Ordinal)
    {
        ["/cirt.v1.ReportingService/SubmitIncident"] = Constituency,
        ["/cirt.v1.ReportingService/SubmitNis2Report"] = Constituency,

        ["/cirt.v1.IncidentService/ListIncidents"] = Constituency,
        ["/cirt.v1.IncidentService/WatchIncidents"] = Constituency,
        ["/cirt.v1.IncidentService/GetIncident"] = Constituency,
        ["/cirt.v1.IncidentService/AddNote"] = Constituency,
        ["/cirt.v1.IncidentService/AddObservables"] = Constituency,
        ["/cirt.v1.IncidentService/ListDeadlines"] = Constituency,
        ["/cirt.v1.IncidentService/RecordReview"] = CirtStaff,
        ["/cirt.v1.IncidentService/AddTask"] = CirtStaff,
        ["/cirt.v1.IncidentService/UpdateTask"] = Constituency,
        ["/cirt.v1.IncidentService/ListTasks"] = Constituency,
        ["/cirt.v1.IncidentService/SetRestoration"] = Constituency,
        ["/cirt.v1.IncidentService/ReferToLawEnforcement"] = CirtStaff,
        ["/cirt.v1.IncidentService/AddAffectedStakeholders"] = CirtStaff,
        ["/cirt.v1.IncidentService/RequestIntermediateReport"] = CirtStaff,
        ["/cirt.v1.PlaybookService/ListPlaybooks"] = CirtStaff,
        ["/cirt.v1.PlaybookService/GetPlaybook"] = CirtStaff,
        ["/cirt.v1.PlaybookService/SetPlaybook"] = Coordinators,
        ["/cirt.v1.IncidentService/TriageIncident"] = CirtStaff,
        ["/cirt.v1.IncidentService/TransitionIncident"] = CirtStaff,
        ["/cirt.v1.IncidentService/AssignIncident"] = CirtStaff,
        ["/cirt.v1.IncidentService/ShareIncident"] = CirtStaff,
        ["/cirt.v1.IncidentService/LinkIncident"] = CirtStaff,

        ["/cirt.v1.StakeholderService/GetStakeholder"] = Constituency,
        ["/cirt.v1.StakeholderService/ListStakeholders"] = Constituency,
        ["/cirt.v1.StakeholderService/CreateStakeholder"] = Coordinators,
        ["/cirt.v1.StakeholderService/UpdateStakeholder"] = Coordinators,
        ["/cirt.v1.StakeholderService/ConfirmContacts"] = Constituency,
        ["/cirt.v1.StakeholderService/RequestContactVerification"] = Coordinators,

        ["/cirt.v1.SectorService/SetAlertLevel"] = Coordinators,
        ["/cirt.v1.AdvisoryService/CreateAdvisory"] = Coordinators,
        ["/cirt.v1.AdvisoryService/UpdateAdvisory"] = Coordinators,
        ["/cirt.v1.AdvisoryService/PublishAdvisory"] = Coordinators,
        ["/cirt.v1.AdvisoryService/WithdrawAdvisory"] = Coordinators,
        ["/cirt.v1.AdvisoryService/GetAdvisory"] = Constituency,
        ["/cirt.v1.AdvisoryService/ListAdvisories"] = Constituency,
        ["/cirt.v1.AdvisoryService/AcknowledgeAdvisory"] = Operators,
        ["/cirt.v1.AdvisoryService/ShareAdvisory"] = Coordinators,
        ["/cirt.v1.InboxService/FollowInbox"] = Constituency,
        ["/cirt.v1.SectorService/GetSector"] = CirtStaff,
        ["/cirt.v1.SectorService/ListSectors"] = CirtStaff,
        ["/cirt.v1.SectorService/CreateSector"] = Coordinators,
        ["/cirt.v1.SectorService/UpdateSector"] = Coordinators,

        // Operators' sensors and the CIRT's own feeds send events; only the CIRT reads the results.
        ["/cirt.v1.IngestService/Stream"] = Constituency,
        ["/cirt.v1.IngestService/Publish"] = Constituency,
        ["/cirt.v1.IngestService/ListUnmatchedEvents"] = CirtStaff,
        ["/cirt.v1.IngestService/GetIngestStats"] = CirtStaff,

        // Which feeds may publish, and with which keys: coordinators decide, CIRT staff read.
        ["/cirt.v1.FeedService/RegisterFeed"] = Coordinators,
        ["/cirt.v1.FeedService/UpdateFeed"] = Coordinators,
        ["/cirt.v1.FeedService/GrantFeed"] = Coordinators,
        ["/cirt.v1.FeedService/RevokeFeedGrant"] = Coordinators,
        ["/cirt.v1.FeedService/SuspendFeed"] = Coordinators,
        ["/cirt.v1.FeedService/ResumeFeed"] = Coordinators,
        ["/cirt.v1.FeedService/ListFeeds"] = CirtStaff,
        ["/cirt.v1.FeedService/GetFeed"] = CirtStaff,

        // Partner CIRTs: staff read how exchange stands; coordinators decide what leaves.
        ["/cirt.v1.PartnerService/GetLocalIdentity"] = CirtStaff,
        ["/cirt.v1.PartnerService/RegisterPartner"] = Coordinators,
        ["/cirt.v1.PartnerService/UpdateAgreement"] = Coordinators,
        ["/cirt.v1.PartnerService/UpdatePartnerEndpoint"] = Coordinators,
        ["/cirt.v1.PartnerService/AddPartnerKey"] = Coordinators,
        ["/cirt.v1.PartnerService/SuspendPartner"] = Coordinators,
        ["/cirt.v1.PartnerService/ResumePartner"] = Coordinators,
        ["/cirt.v1.PartnerService/ListPartners"] = CirtStaff,
        ["/cirt.v1.PartnerService/GetPartner"] = CirtStaff,
        ["/cirt.v1.PartnerService/ListOutbox"] = CirtStaff,
        ["/cirt.v1.PartnerService/GetOutboxMessage"] = CirtStaff,
        ["/cirt.v1.PartnerService/ApproveOutboxMessage"] = Coordinators,
        ["/cirt.v1.PartnerService/DiscardOutboxMessage"] = Coordinators,
        ["/cirt.v1.PartnerService/ListEgress"] = CirtStaff,
        ["/cirt.v1.PartnerService/ListInboundRefusals"] = CirtStaff,
        // A partner's server reaches this endpoint and nothing else.
        ["/cirt.v1.FederationService/Deliver"] = Partners,
        ["/cirt.v1.StixService/ExportAdvisory"] = CirtStaff,
        ["/cirt.v1.StixService/ExportIncident"] = CirtStaff,
        ["/cirt.v1.StixService/ImportBundle"] = Coordinators,

        ["/cirt.v1.AdminService/Backup"] = Coordinators,

        ["/cirt.v1.KeyService/IssueKey"] = Coordinators,
        ["/cirt.v1.KeyService/ListKeys"] = Coordinators,
        ["/cirt.v1.KeyService/RevokeKey"] = Coordinators,
        ["/cirt.v1.KeyService/WhoAmI"] = Everyone,

        // The schema is public (protos/), but only to authenticated callers.
        ["/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"] = Everyone,
        ["/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"] = Everyone,
    };
}
