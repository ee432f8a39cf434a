using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Security;
using Cirt.Server.Federation;
using Proto = Cirt.Contracts.V1;
using static Cirt.Server.Api.CommonMapping;

namespace Cirt.Server.Incidents;

/// <summary>
/// Incident records to their wire form. An incident goes out only as its reader reads it
/// (<see cref="IncidentDisclosure"/>) and with a window of its timeline (<see cref="TimelineWindow"/>):
/// no incident outgrows a response, and none shows an operator the CIRT's internal work.
/// </summary>
public static class IncidentMapping
{
    /// <summary>The incident as <paramref name="viewer"/> reads it, with the newest window of its timeline.</summary>
    public static Proto.Incident ToProto(Incident incident, Principal viewer, DateTimeOffset now) =>
        Read(incident, viewer, now, Limits.TimelinePageSize, before: 0).Incident;

    /// <summary>
    /// The incident as <paramref name="viewer"/> reads it, with the window of its timeline of at
    /// most <paramref name="timelinePageSize"/> entries ending before entry <paramref name="before"/>
    /// (0: the newest), and that window.
    /// </summary>
    public static (Proto.Incident Incident, TimelineWindow Timeline) Read(
        Incident incident, Principal viewer, DateTimeOffset now, int timelinePageSize, int before)
    {
        var read = IncidentDisclosure.For(incident, viewer);
        var window = TimelineWindow.Of(read.Timeline, timelinePageSize, before);
        var proto = ToProto(read, now);
        proto.Timeline.AddRange(window.Entries.Select(ToProto));
        proto.TimelineTotal = window.Total;
        return (proto, window);
    }

    /// <summary>Everything of an incident already disclosed to its reader but its timeline.</summary>
    private static Proto.Incident ToProto(Incident incident, DateTimeOffset now)
    {
        var proto = new Proto.Incident
        {
            TrackingId = incident.TrackingId,
            Title = incident.Title,
            Description = incident.Description,
            ReporterStakeholderId = incident.ReporterStakeholderId,
            ReporterContact = incident.ReporterContact == ReporterContact.None ? null : new Proto.ReporterContact
            {
                Name = incident.ReporterContact.Name,
                Email = incident.ReporterContact.Email,
                Phone = incident.ReporterContact.Phone,
            },
            RsitClass = incident.RsitClass,
            RsitType = incident.RsitType,
            Severity = CommonMapping.ToProto(incident.Severity),
            Tlp = CommonMapping.ToProto(incident.Tlp),
            Status = CommonMapping.ToProto(incident.Status),
            Assignee = incident.Assignee,
            DuplicateOf = incident.DuplicateOf,
            Significant = incident.Significant,
            SuspectedMalicious = incident.SuspectedMalicious,
            CrossBorderImpact = incident.CrossBorderImpact,
            AwareAt = CommonMapping.ToProto(incident.AwareAt),
            ReportedAt = CommonMapping.ToProto(incident.ReportedAt),
            UpdatedAt = CommonMapping.ToProto(incident.UpdatedAt),
            Version = incident.Version,
            Origin = incident.Origin,
            EventCount = incident.EventCount,
            DuplicateCount = incident.DuplicateCount,
            Exercise = incident.Exercise,
            AffectsTrustServices = incident.AffectsTrustServices,
            ReportedSeverity = CommonMapping.ToProto(incident.ReportedSeverity),
        };
        proto.AffectedStakeholderIds.AddRange(incident.AffectedStakeholderIds);
        proto.SectorCodes.AddRange(incident.SectorCodes);
        proto.ProposedAffectedStakeholderIds.AddRange(incident.ProposedAffectedStakeholderIds);
        proto.ProposedSectorCodes.AddRange(incident.ProposedSectorCodes);
        proto.AutomatedSources.AddRange(incident.AutomatedSources.Select(source => new Proto.AutomatedSource { Feed = source.Feed, Producer = source.Producer, Events = source.Events }));
        proto.Observables.AddRange(incident.Observables.Select(CommonMapping.ToProto));
        proto.Deadlines.AddRange(incident.Deadlines.Select(d => ToProto(d, now)));
        if (incident.Review is { } review)
        {
            proto.Review = new Proto.PostIncidentReview
            {
                WhatHappened = review.WhatHappened,
                RootCause = review.RootCause,
                WhatWorked = review.WhatWorked,
                Lessons = review.Lessons,
                RecordedAt = CommonMapping.ToProto(review.RecordedAt),
                RecordedBy = review.RecordedBy,
            };
            proto.Review.FollowUpActions.AddRange(review.FollowUpActions);
        }

        proto.Tasks.AddRange(incident.Tasks.Select(t => ToProto(t, now)));
        proto.Restorations.AddRange(incident.Restorations.Select(r => new Proto.Restoration
        {
            StakeholderId = r.StakeholderId, Restored = r.Restored, At = CommonMapping.ToProto(r.At), By = r.By, Note = r.Note, OnBehalf = r.OnBehalf,
        }));
        proto.Referrals.AddRange(incident.Referrals.Select(r => new Proto.LawEnforcementReferral
        {
            Agency = r.Agency, Reference = r.Reference, At = CommonMapping.ToProto(r.At), By = r.By, Note = r.Note,
        }));
        proto.Nis2Reports.AddRange(incident.Nis2Reports.Select(r => new Proto.Nis2Report
        {
            Stage = (Proto.DeadlineKind)(int)r.Stage,
            ReceivedAt = CommonMapping.ToProto(r.ReceivedAt),
            SubmittedBy = r.SubmittedBy,
            Summary = r.Summary,
        }));
        proto.AllowedTransitions.AddRange(IncidentLifecycle.AllowedFrom(incident.Status).Select(CommonMapping.ToProto));
        // The exchange with partner CIRTs: IncidentDisclosure leaves it to CIRT staff.
        proto.PartnerOrigin = incident.PartnerOrigin is { } origin ? ItemOriginMapping.ToProto(origin) : null;
        proto.PartnerShares.AddRange(incident.PartnerShares.Where(s => !s.Refused).Select(s => new Proto.IncidentPartnerShare
        {
            PartnerId = s.PartnerId, SharedAt = CommonMapping.ToProto(s.SharedAt), SharedBy = s.SharedBy,
        }));
        proto.LinkedTrackingIds.AddRange(incident.LinkedTrackingIds);
        return proto;
    }

    public static Proto.Deadline ToProto(Deadline deadline, DateTimeOffset now) => new()
    {
        Kind = (Proto.DeadlineKind)(int)deadline.Kind,
        DueAt = CommonMapping.ToProto(deadline.DueAt),
        Status = (Proto.DeadlineStatus)(int)deadline.StatusAt(now),
        MetAt = CommonMapping.ToProto(deadline.MetAt),
        Basis = deadline.Basis,
        EscalatedAt = CommonMapping.ToProto(deadline.EscalatedAt),
    };

    public static Proto.IncidentTask ToProto(IncidentTask task, DateTimeOffset now) => new()
    {
        Number = task.Number,
        Title = task.Title,
        AssigneeStakeholderId = task.AssigneeStakeholderId,
        AssigneeAnalyst = task.AssigneeAnalyst,
        DueAt = CommonMapping.ToProto(task.DueAt),
        Status = (Proto.IncidentTaskStatus)(int)task.Status,
        Overdue = task.IsOverdueAt(now),
        CreatedAt = CommonMapping.ToProto(task.CreatedAt),
        CreatedBy = task.CreatedBy,
        Origin = task.Origin,
        UpdatedAt = CommonMapping.ToProto(task.UpdatedAt),
    };

    public static Proto.IncidentTaskRow ToProto(TaskRow row, DateTimeOffset now) => new()
    {
        Incident = ToProto(row.Incident),
        Task = ToProto(row.Task, now),
    };

    public static Proto.IncidentDeadline ToProto(DeadlineRow row, DateTimeOffset now) => new()
    {
        Incident = ToProto(row.Incident),
        Deadline = ToProto(row.Deadline, now),
    };

    public static Proto.TimelineEntry ToProto(TimelineEntry entry) => new()
    {
        Sequence = entry.Sequence,
        At = CommonMapping.ToProto(entry.At),
        Actor = entry.Actor,
        Kind = entry.Kind,
        Summary = entry.Summary,
        Visibility = (Proto.TimelineVisibility)(int)IncidentDisclosure.VisibilityOf(entry),
    };

    public static Proto.IncidentSummary ToProto(IncidentSummary summary)
    {
        var proto = new Proto.IncidentSummary
        {
            TrackingId = summary.TrackingId,
            Title = summary.Title,
            Status = CommonMapping.ToProto(summary.Status),
            Severity = CommonMapping.ToProto(summary.Severity),
            Tlp = CommonMapping.ToProto(summary.Tlp),
            ReporterStakeholderId = summary.ReporterStakeholderId,
            RsitClass = summary.RsitClass,
            RsitType = summary.RsitType,
            Assignee = summary.Assignee,
            ReportedAt = CommonMapping.ToProto(summary.ReportedAt),
            UpdatedAt = CommonMapping.ToProto(summary.UpdatedAt),
            Version = summary.Version,
            Exercise = summary.Exercise,
            ReportedSeverity = CommonMapping.ToProto(summary.ReportedSeverity),
            // Foreign incidents are listed to CIRT staff only (IncidentAccess).
            OriginInstanceId = summary.OriginInstanceId,
        };
        proto.SectorCodes.AddRange(summary.SectorCodes);
        proto.AffectedStakeholderIds.AddRange(summary.AffectedStakeholderIds);
        return proto;
    }
}
