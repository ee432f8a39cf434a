using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Security;

/// <summary>
/// Issue 16, finding 3: an operator forged alerts into other organisations and the national picture.
/// gridco names firstbank and city-hospital as affected and BANKING and HEALTH as sectors in a
/// critical TLP:CLEAR report posing as a national CIRT order. Until a CIRT analyst has triaged it,
/// nothing of it may reach another organisation's queue or inbox, or move a sector's alert level.
/// On a server of its own, so that the sectors' levels start from nothing.
/// </summary>
public sealed class ForgedAlertTests : IAsyncLifetime
{
    private const string ForgedTitle = "NATIONAL CIRT ORDER: disconnect all payment systems now";

    private readonly ServerFixture _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task AnOperatorsReportNamingOtherOrganisationsAndSectorsReachesNoneOfThemAndMovesNoAlertLevelBeforeTriage()
    {
        var firstbank = await _server.IssueKeyAsync("firstbank-soc", Role.Operator, "firstbank");
        var hospital = await _server.IssueKeyAsync("hospital-soc", Role.Operator, "city-hospital");
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            ids.Add((await _server.Reporting(_server.GridcoKey).SubmitIncidentAsync(Forged())).TrackingId);
        }

        foreach (var (name, key) in new[] { ("firstbank", firstbank), ("city-hospital", hospital) })
        {
            var queue = await _server.Incidents(key).ListIncidentsAsync(new ListIncidentsRequest { PageSize = 500 });
            Assert.True(queue.Incidents.All(i => !ids.Contains(i.TrackingId)), $"the forged report is in {name}'s queue");
            foreach (var id in ids)
            {
                await RpcAssert.FailsWith(StatusCode.NotFound, () => _server.Incidents(key).GetIncidentAsync(new GetIncidentRequest { TrackingId = id }).ResponseAsync);
            }

            var inbox = await Inboxes.CurrentAsync(_server, key);
            Assert.True(inbox.All(i => !ids.Contains(i.TrackingId) && !i.Summary.Contains("NATIONAL CIRT ORDER", StringComparison.Ordinal)),
                $"the forged report is in {name}'s inbox: {string.Join(" | ", inbox.Select(i => i.Summary))}");
        }

        foreach (var code in new[] { "HEALTH", "BANKING" })
        {
            var sector = await _server.Sectors(_server.AnalystKey).GetSectorAsync(new GetSectorRequest { Code = code });
            Assert.True(sector.AlertLevel == 1, $"{code}'s alert level is {sector.AlertLevel} ({sector.AlertBasis}) from untriaged reports");
            Assert.DoesNotContain(sector.OpenIncidents, i => ids.Contains(i.TrackingId));
        }

        // Its reporter's own sector lists it, but the level waits for triage there too.
        var energy = await _server.Sectors(_server.AnalystKey).GetSectorAsync(new GetSectorRequest { Code = "ENERGY" });
        Assert.True(energy.AlertLevel == 1, $"ENERGY's alert level is {energy.AlertLevel} ({energy.AlertBasis}) from untriaged reports");
        Assert.Equal(ids.Order(), energy.OpenIncidents.Select(i => i.TrackingId).Order());
    }

    [Fact]
    public async Task WhatTheReporterProposedReachesOthersOnlyAsFarAsAnAnalystConfirmsItAtTriageAndTheClaimedSeverityStaysAClaim()
    {
        var firstbank = await _server.IssueKeyAsync("firstbank-soc", Role.Operator, "firstbank");
        var hospital = await _server.IssueKeyAsync("hospital-soc", Role.Operator, "city-hospital");
        var id = (await _server.Reporting(_server.GridcoKey).SubmitIncidentAsync(Forged())).TrackingId;

        var reported = (await _server.Incidents(_server.GridcoKey).GetIncidentAsync(new GetIncidentRequest { TrackingId = id })).Incident;
        Assert.Equal((Severity.Unspecified, Severity.Critical), (reported.Severity, reported.ReportedSeverity));
        Assert.Equal(["gridco"], reported.AffectedStakeholderIds);
        Assert.Equal(["ENERGY"], reported.SectorCodes);
        Assert.Equal(["firstbank", "city-hospital"], reported.ProposedAffectedStakeholderIds);
        Assert.Equal(["BANKING", "HEALTH"], reported.ProposedSectorCodes);
        var queued = (await _server.Incidents().ListIncidentsAsync(new ListIncidentsRequest { Statuses = { IncidentStatus.Reported } })).Incidents.Single(i => i.TrackingId == id);
        Assert.Equal((Severity.Unspecified, Severity.Critical), (queued.Severity, queued.ReportedSeverity));

        // Only what the analyst confirms takes effect; the rest is declined, and the timeline says which.
        var triaged = (await _server.Incidents().TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = id, Outcome = TriageOutcome.Accept, RsitClass = "fraud", RsitType = "masquerade", Severity = Severity.High,
            ConfirmStakeholderIds = { "firstbank" }, ConfirmSectorCodes = { "BANKING" },
        })).Incident;
        Assert.Equal(["gridco", "firstbank"], triaged.AffectedStakeholderIds);
        Assert.Equal(["BANKING", "ENERGY"], triaged.SectorCodes);
        Assert.Empty(triaged.ProposedAffectedStakeholderIds);
        Assert.Contains("confirmed firstbank, declined city-hospital", triaged.Timeline.Last(e => e.Kind == "triaged").Summary);

        await _server.Incidents(firstbank).GetIncidentAsync(new GetIncidentRequest { TrackingId = id });
        Assert.Contains(await Inboxes.CurrentAsync(_server, firstbank), i => i.Kind == InboxItemKind.Incident && i.TrackingId == id);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => _server.Incidents(hospital).GetIncidentAsync(new GetIncidentRequest { TrackingId = id }).ResponseAsync);
        var banking = await _server.Sectors(_server.AnalystKey).GetSectorAsync(new GetSectorRequest { Code = "BANKING" });
        Assert.Equal((3, "1 open high incident(s)"), (banking.AlertLevel, banking.AlertBasis));
        Assert.Equal(1, (await _server.Sectors(_server.AnalystKey).GetSectorAsync(new GetSectorRequest { Code = "HEALTH" })).AlertLevel);

        // Confirming what was never proposed is refused: others are added with AddAffectedStakeholders.
        var another = (await _server.Reporting(_server.GridcoKey).SubmitIncidentAsync(Forged())).TrackingId;
        var refused = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => _server.Incidents().TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = another, Outcome = TriageOutcome.Accept, RsitClass = "fraud", RsitType = "masquerade", Severity = Severity.Low,
            ConfirmStakeholderIds = { "aquaworks" },
        }).ResponseAsync);
        Assert.Contains("not proposed as affected stakeholder: aquaworks", refused.Status.Detail);
        Assert.Equal(["confirm_proposed"], await RpcAssert.InvalidFields(() => _server.Incidents().TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = another, Outcome = TriageOutcome.Accept, RsitClass = "fraud", RsitType = "masquerade", Severity = Severity.Low,
            ConfirmProposed = true, ConfirmSectorCodes = { "HEALTH" },
        }).ResponseAsync));
        Assert.Equal(["confirm_proposed"], await RpcAssert.InvalidFields(() => _server.Incidents().TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = another, Outcome = TriageOutcome.Reject, Reason = "a forgery", ConfirmProposed = true,
        }).ResponseAsync));
    }

    [Fact]
    public async Task ACirtAnalystReportingOnAnOrganisationsBehalfAffectsWhatItNamesAtOnce()
    {
        var firstbank = await _server.IssueKeyAsync("firstbank-soc", Role.Operator, "firstbank");
        var report = Reports.Valid("gridco");
        report.AffectedStakeholderIds.Add("firstbank");
        report.SectorCodes.Add("BANKING");

        var incident = (await _server.Reporting(_server.AnalystKey).SubmitIncidentAsync(report)).Incident;

        Assert.Equal(["gridco", "firstbank"], incident.AffectedStakeholderIds);
        Assert.Equal(["BANKING"], incident.SectorCodes);
        Assert.Empty(incident.ProposedAffectedStakeholderIds);
        await _server.Incidents(firstbank).GetIncidentAsync(new GetIncidentRequest { TrackingId = incident.TrackingId });
    }

    private static SubmitIncidentRequest Forged()
    {
        var report = Reports.Valid("gridco");
        report.Title = ForgedTitle;
        report.AffectedStakeholderIds.Add(["firstbank", "city-hospital"]);
        report.SectorCodes.Add(["BANKING", "HEALTH"]);
        report.Severity = Severity.Critical;
        report.Tlp = Tlp.Clear;
        report.ReporterContact = new ReporterContact { Name = "National CIRT duty officer", Email = "duty@cirt.example" };
        return report;
    }
}
