using Cirt.Grains.Partners;
using Cirt.Grains.Stakeholders;

namespace Cirt.Grains.Incidents;

/// <summary>An incident as stored: the system of record. Every change produces a new version.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.Incident")]
public sealed record Incident
{
    [Id(0)] public required string TrackingId { get; init; }
    [Id(1)] public required string RequestId { get; init; }
    [Id(2)] public required string Title { get; init; }
    [Id(3)] public required string Description { get; init; }
    [Id(4)] public required string ReporterStakeholderId { get; init; }
    [Id(5)] public required ReporterContact ReporterContact { get; init; }
    [Id(6)] public required Nis2EntityClass ReporterEntityClass { get; init; }
    [Id(7)] public required string[] AffectedStakeholderIds { get; init; }
    [Id(8)] public required string[] SectorCodes { get; init; }
    [Id(9)] public string RsitClass { get; init; } = "";
    [Id(10)] public string RsitType { get; init; } = "";
    /// <summary>The CIRT's assessment, set at triage (unspecified until then); the reporter's estimate is <see cref="ReportedSeverity"/>.</summary>
    [Id(11)] public Severity Severity { get; init; }
    [Id(12)] public required Tlp Tlp { get; init; }
    [Id(13)] public required IncidentStatus Status { get; init; }
    [Id(14)] public string Assignee { get; init; } = "";
    [Id(15)] public required Observable[] Observables { get; init; }
    [Id(16)] public required Deadline[] Deadlines { get; init; }
    [Id(17)] public string DuplicateOf { get; init; } = "";
    [Id(18)] public bool Significant { get; init; }
    [Id(19)] public bool SuspectedMalicious { get; init; }
    [Id(20)] public bool CrossBorderImpact { get; init; }
    [Id(21)] public required DateTimeOffset AwareAt { get; init; }
    [Id(22)] public required DateTimeOffset ReportedAt { get; init; }
    [Id(23)] public required DateTimeOffset UpdatedAt { get; init; }
    [Id(24)] public required long Version { get; init; }
    [Id(25)] public required TimelineEntry[] Timeline { get; init; }

    /// <summary>"report" for incidents reported by people, "ingest" for those aggregated from automated events, "partner" for those a partner CIRT shared with us.</summary>
    [Id(26)] public string Origin { get; init; } = IncidentOrigins.Report;

    /// <summary>Automated events aggregated into this incident (distinct, duplicates excluded).</summary>
    [Id(27)] public long EventCount { get; init; }

    /// <summary>Duplicates (same feed, type and target within the window) among the events.</summary>
    [Id(28)] public long DuplicateCount { get; init; }

    /// <summary>The ingest log position up to which events are counted: makes recording idempotent.</summary>
    [Id(29)] public long LastEventSeq { get; init; }

    /// <summary>The row this incident shows as in the queue.</summary>
    /// <summary>The NIS2 reports the reporter submitted against the incident after the initial report.</summary>
    [Id(30)] public Nis2Report[] Nis2Reports { get; init; } = [];

    /// <summary>The post-incident review, once recorded.</summary>
    [Id(31)] public PostIncidentReview? Review { get; init; }

    /// <summary>The work on the incident, from playbooks and by hand.</summary>
    [Id(32)] public IncidentTask[] Tasks { get; init; } = [];

    /// <summary>Restoration per affected stakeholder, once reported (absent: not restored yet).</summary>
    [Id(33)] public Restoration[] Restorations { get; init; } = [];

    /// <summary>Referrals to law enforcement.</summary>
    [Id(34)] public LawEnforcementReferral[] Referrals { get; init; } = [];

    /// <summary>The affected stakeholders whose services are not reported restored.</summary>
    public string[] Unrestored() =>
        AffectedStakeholderIds.Where(id => !Restorations.Any(r => r.StakeholderId == id && r.Restored)).ToArray();

    /// <summary>An exercise: the same workflow, left out of statistics and alert levels.</summary>
    [Id(35)] public bool Exercise { get; init; }

    /// <summary>The reporter said the incident affects the trust services it provides (NIS2 Art. 23(4)(b)).</summary>
    [Id(36)] public bool AffectsTrustServices { get; init; }

    /// <summary>The severity the reporter claimed, kept as given: it moves no alert level (only the CIRT's <see cref="Severity"/> does).</summary>
    [Id(40)] public Severity ReportedSeverity { get; init; }

    /// <summary>
    /// Other stakeholders an operator's report named as affected: a proposal that a CIRT analyst
    /// confirms (or not) at triage. Until then they are not affected: they see nothing of the incident.
    /// </summary>
    [Id(41)] public string[] ProposedAffectedStakeholderIds { get; init; } = [];

    /// <summary>Sectors an operator's report named beyond its own: a proposal confirmed (or not) at triage, like <see cref="ProposedAffectedStakeholderIds"/>.</summary>
    [Id(42)] public string[] ProposedSectorCodes { get; init; } = [];

    /// <summary>
    /// Set on a foreign incident: one a partner CIRT shared with us (<see cref="Origin"/> is then
    /// "partner"). Its content comes from the origin; CIRT staff alone see it (<see cref="IncidentSharing"/>).
    /// </summary>
    [Id(43)] public ItemOrigin? PartnerOrigin { get; init; }

    /// <summary>The partner CIRTs this incident of ours is shared with.</summary>
    [Id(44)] public IncidentPartnerShare[] PartnerShares { get; init; } = [];

    /// <summary>Incidents linked to this one (a foreign incident and ours about the same thing, or any two).</summary>
    [Id(45)] public string[] LinkedTrackingIds { get; init; } = [];

    /// <summary>The notes and status changes received from partners, as "{partner}/{id}": each applies once.</summary>
    [Id(46)] public string[] PartnerFollowUpIds { get; init; } = [];

    /// <summary>Messages owed to partners and not yet handed to the outbox (see <see cref="IncidentPendingShare"/>).</summary>
    [Id(47)] public IncidentPendingShare[] PendingShares { get; init; } = [];

    /// <summary>
    /// An incident aggregated from automated events: the feeds and producing keys its events came
    /// from, with their counts (<see cref="Ingest.AutomatedSources"/>). Nobody reported such an
    /// incident: its <see cref="ReporterStakeholderId"/> is empty.
    /// </summary>
    [Id(48)] public Ingest.AutomatedSource[] AutomatedSources { get; init; } = [];

    public IncidentSummary ToSummary() => new(
        TrackingId, Title, Status, Severity, Tlp, ReporterStakeholderId, SectorCodes, AffectedStakeholderIds,
        RsitClass, RsitType, Assignee, ReportedAt, UpdatedAt, Version, Deadlines)
    {
        Tasks = Tasks, Exercise = Exercise, ReportedSeverity = ReportedSeverity, OriginInstanceId = PartnerOrigin?.InstanceId ?? "",
    };
}
