using Cirt.Grains.Incidents;

namespace Cirt.Grains.Advisories;

/// <summary>Where an advisory stands.</summary>
public enum AdvisoryStatus
{
    Draft = 1,
    Published = 2,
    Withdrawn = 3,
}

/// <summary>A vulnerability an advisory is about, with its CVSS base score and the band it falls in.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.AffectedCve")]
public sealed record AffectedCve(
    [property: Id(0)] string CveId,
    [property: Id(1)] double CvssScore)
{
    /// <summary>The CVSS qualitative band (v3.1 and v4.0 alike).</summary>
    public Severity Band => CvssBands.Of(CvssScore);
}

/// <summary>What a coordinator writes: the advisory's content and audience.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.AdvisoryContent")]
public sealed record AdvisoryContent(
    [property: Id(0)] string Title,
    [property: Id(1)] string Summary,
    [property: Id(2)] string[] AffectedProducts,
    [property: Id(3)] AffectedCve[] Cves,
    [property: Id(4)] Observable[] Indicators,
    [property: Id(5)] string[] RecommendedActions,
    [property: Id(6)] Tlp Tlp,
    [property: Id(7)] string[] TargetSectors,
    [property: Id(8)] string[] TargetStakeholders,
    [property: Id(9)] string IncidentTrackingId);

/// <summary>A stakeholder the advisory was delivered to, and whether it acknowledged it.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.AdvisoryRecipient")]
public sealed record AdvisoryRecipient(
    [property: Id(0)] string StakeholderId,
    [property: Id(1)] DateTimeOffset DeliveredAt,
    [property: Id(2)] DateTimeOffset? AcknowledgedAt,
    [property: Id(3)] string AcknowledgedBy,
    [property: Id(4)] int Reminders,
    [property: Id(5)] DateTimeOffset? LastRemindedAt);

/// <summary>An advisory as stored.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.Advisory")]
public sealed record Advisory(
    [property: Id(0)] string Id,
    [property: Id(1)] AdvisoryContent Content,
    [property: Id(2)] AdvisoryStatus Status,
    [property: Id(3)] long Version,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] string CreatedBy,
    [property: Id(6)] DateTimeOffset UpdatedAt,
    [property: Id(7)] string UpdatedBy,
    [property: Id(8)] DateTimeOffset? PublishedAt,
    [property: Id(9)] DateTimeOffset? WithdrawnAt,
    [property: Id(10)] string WithdrawReason,
    [property: Id(11)] AdvisoryRecipient[] Recipients)
{
    /// <summary>Delivered, not acknowledged, and older than <paramref name="chaseAfter"/>.</summary>
    public bool IsOverdue(AdvisoryRecipient recipient, DateTimeOffset now, TimeSpan chaseAfter) =>
        Status == AdvisoryStatus.Published && recipient.AcknowledgedAt is null && now - recipient.DeliveredAt >= chaseAfter;
}

/// <summary>CVSS base scores to their qualitative bands: None 0.0, Low 0.1-3.9, Medium 4.0-6.9, High 7.0-8.9, Critical 9.0-10.0.</summary>
public static class CvssBands
{
    /// <summary>The band of a score in 0.0-10.0 (None maps to Unspecified: there is no severity).</summary>
    public static Severity Of(double score) => score switch
    {
        >= 9.0 => Severity.Critical,
        >= 7.0 => Severity.High,
        >= 4.0 => Severity.Medium,
        >= 0.1 => Severity.Low,
        _ => Severity.Unspecified,
    };
}

/// <summary>How advisories are chased (configuration section Cirt:Advisories).</summary>
public sealed class AdvisoryOptions
{
    public const string Section = "Cirt:Advisories";

    /// <summary>An unacknowledged advisory is re-notified, and shown overdue, this long after delivery (and again after each reminder).</summary>
    public TimeSpan ChaseAfter { get; set; } = TimeSpan.FromHours(24);
}
