using Cirt.Server.Api;
using Cirt.Server.Security;

namespace Cirt.Server.Tests.Security;

/// <summary>Which calls count against a key's storage quota, over every RPC the compiled descriptors declare.</summary>
public sealed class StorageQuotaRulesTests
{
    private static readonly string[] Rpcs = CirtApi.Files.SelectMany(f => f.Services).SelectMany(s => s.Methods)
        .Select(m => $"/{m.Service.FullName}/{m.Name}").Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void EveryCallThatChangesSomethingCountsAndOnlyThose()
    {
        // A new RPC counts until someone decides otherwise: this list then says so.
        string[] counted =
        [
            "/cirt.v1.AdvisoryService/AcknowledgeAdvisory",
            "/cirt.v1.AdvisoryService/CreateAdvisory",
            "/cirt.v1.AdvisoryService/PublishAdvisory",
            "/cirt.v1.AdvisoryService/ShareAdvisory",
            "/cirt.v1.AdvisoryService/UpdateAdvisory",
            "/cirt.v1.AdvisoryService/WithdrawAdvisory",
            // What a partner delivers is stored here: it counts against the partner's key like any write.
            "/cirt.v1.FederationService/Deliver",
            "/cirt.v1.FeedService/GrantFeed",
            "/cirt.v1.FeedService/RegisterFeed",
            "/cirt.v1.FeedService/ResumeFeed",
            "/cirt.v1.FeedService/RevokeFeedGrant",
            "/cirt.v1.FeedService/SuspendFeed",
            "/cirt.v1.FeedService/UpdateFeed",
            "/cirt.v1.IncidentService/AddAffectedStakeholders",
            "/cirt.v1.IncidentService/AddNote",
            "/cirt.v1.IncidentService/AddObservables",
            "/cirt.v1.IncidentService/AddTask",
            "/cirt.v1.IncidentService/AssignIncident",
            "/cirt.v1.IncidentService/LinkIncident",
            "/cirt.v1.IncidentService/RecordReview",
            "/cirt.v1.IncidentService/ReferToLawEnforcement",
            "/cirt.v1.IncidentService/RequestIntermediateReport",
            "/cirt.v1.IncidentService/SetRestoration",
            "/cirt.v1.IncidentService/ShareIncident",
            "/cirt.v1.IncidentService/TransitionIncident",
            "/cirt.v1.IncidentService/TriageIncident",
            "/cirt.v1.IncidentService/UpdateTask",
            "/cirt.v1.KeyService/IssueKey",
            "/cirt.v1.KeyService/RevokeKey",
            "/cirt.v1.PartnerService/AddPartnerKey",
            "/cirt.v1.PartnerService/ApproveOutboxMessage",
            "/cirt.v1.PartnerService/DiscardOutboxMessage",
            "/cirt.v1.PartnerService/RegisterPartner",
            "/cirt.v1.PartnerService/ResumePartner",
            "/cirt.v1.PartnerService/SuspendPartner",
            "/cirt.v1.PartnerService/UpdateAgreement",
            "/cirt.v1.PartnerService/UpdatePartnerEndpoint",
            "/cirt.v1.PlaybookService/SetPlaybook",
            "/cirt.v1.ReportingService/SubmitIncident",
            "/cirt.v1.ReportingService/SubmitNis2Report",
            "/cirt.v1.SectorService/CreateSector",
            "/cirt.v1.SectorService/SetAlertLevel",
            "/cirt.v1.SectorService/UpdateSector",
            "/cirt.v1.StakeholderService/ConfirmContacts",
            "/cirt.v1.StakeholderService/CreateStakeholder",
            "/cirt.v1.StakeholderService/RequestContactVerification",
            "/cirt.v1.StakeholderService/UpdateStakeholder",
            "/cirt.v1.StixService/ImportBundle",
        ];

        Assert.Equal(counted, Rpcs.Where(StorageQuotaRules.Counts));
    }

    [Fact]
    public void EveryExemptionNamesARealRpcAndReadsAndEventsAreExempt()
    {
        Assert.All(StorageQuotaRules.NotCounted, method => Assert.Contains(method, Rpcs));
        Assert.All(Rpcs.Where(m => m.Split('/')[2] is var name && (name.StartsWith("Get", StringComparison.Ordinal) || name.StartsWith("List", StringComparison.Ordinal))),
            method => Assert.False(StorageQuotaRules.Counts(method), method));
        Assert.False(StorageQuotaRules.Counts("/cirt.v1.IngestService/Publish"));
        Assert.False(StorageQuotaRules.Counts("/grpc.health.v1.Health/Check"));
    }
}
