using Cirt.Contracts.V1;
using Cirt.Server.Federation;
using Cirt.Server.Tests.Federation;
using Grpc.Core;

namespace Cirt.Server.Tests.Incidents;

/// <summary>
/// A joint cross-border incident between two real servers: France shares an incident with Germany,
/// where it is a foreign incident in the queue of Germany's CIRT staff, with its origin; notes and
/// status changes flow both ways, each once; internal notes never leave; TLP:RED is refused; personal
/// data in a note holds it until a coordinator approves the redacted version. Tests run one after the
/// other on the same two servers, each with incidents of its own.
/// </summary>
public sealed class IncidentSharingTests(IncidentPartners partners) : IClassFixture<IncidentPartners>
{
    private const string France = IncidentPartners.France;
    private const string Germany = IncidentPartners.Germany;

    private ServerFixture Fr => partners.Fr;

    private ServerFixture De => partners.De;

    [Fact]
    public async Task AnIncidentSharedAppearsInThePartnersQueueAsForeignWithItsOrigin()
    {
        var ours = await ReportAsync(Fr, "Wiper on substation controllers");

        var shared = await Fr.Incidents().ShareIncidentAsync(new ShareIncidentRequest { TrackingId = ours, PartnerId = Germany });

        Assert.Equal(OutboxState.Queued, shared.State);
        Assert.True(Guid.TryParse(shared.MessageId, out _));
        var share = Assert.Single(shared.Incident.PartnerShares);
        Assert.Equal((Germany, "alice"), (share.PartnerId, share.SharedBy));
        var foreign = await ForeignAtDeAsync(ours);
        Assert.Equal(("Wiper on substation controllers", "partner", "", IncidentStatus.Reported),
            (foreign.Title, foreign.Origin, foreign.ReporterStakeholderId, foreign.Status));
        Assert.Equal((France, "FR", ours), (foreign.PartnerOrigin.InstanceId, foreign.PartnerOrigin.Country, foreign.PartnerOrigin.ItemId));
        Assert.Contains(foreign.Observables, o => o.Value == "203.0.113.7");
        Assert.Contains(foreign.Timeline, e => e.Summary.StartsWith($"Shared by partner {France} as its incident {ours}", StringComparison.Ordinal));
        var row = Assert.Single((await De.Incidents().ListIncidentsAsync(new ListIncidentsRequest { PageSize = 500 })).Incidents, i => i.TrackingId == foreign.TrackingId);
        Assert.Equal(France, row.OriginInstanceId);

        // Germany's operators see nothing of it.
        await RpcAssert.FailsWith(StatusCode.NotFound, () => De.Incidents(De.GridcoKey).GetIncidentAsync(new GetIncidentRequest { TrackingId = foreign.TrackingId }).ResponseAsync);
        Assert.DoesNotContain((await De.Incidents(De.GridcoKey).ListIncidentsAsync(new ListIncidentsRequest { PageSize = 500 })).Incidents, i => i.TrackingId == foreign.TrackingId);
        // France's operator reads its incident without whom it is shared with.
        var asReporter = (await Fr.Incidents(Fr.GridcoKey).GetIncidentAsync(new GetIncidentRequest { TrackingId = ours })).Incident;
        Assert.Empty(asReporter.PartnerShares);
    }

    [Fact]
    public async Task SharingAgainWithNothingChangedAnswersWithTheSameMessage()
    {
        var ours = await ReportAsync(Fr, "Credential stuffing against the grid portal");
        var first = await Fr.Incidents().ShareIncidentAsync(new ShareIncidentRequest { TrackingId = ours, PartnerId = Germany });

        var again = await Fr.Incidents().ShareIncidentAsync(new ShareIncidentRequest { TrackingId = ours, PartnerId = Germany });

        Assert.Equal((first.MessageId, first.Incident.Version), (again.MessageId, again.Incident.Version));
    }

    [Fact]
    public async Task ThePartnerLinksTheForeignIncidentToItsOwn()
    {
        var ours = await ReportAsync(Fr, "Phishing against grid engineers");
        await ShareAsync(ours);
        var foreign = await ForeignAtDeAsync(ours);
        var theirs = await ReportAsync(De, "Same phishing lure at a German utility");

        var linked = await De.Incidents().LinkIncidentAsync(new LinkIncidentRequest { TrackingId = theirs, LinkedTrackingId = foreign.TrackingId });

        Assert.Equal([foreign.TrackingId], linked.Incident.LinkedTrackingIds);
        var other = await GetAsync(De, foreign.TrackingId);
        Assert.Equal([theirs], other.LinkedTrackingIds);
        Assert.Contains(other.Timeline, e => e.Summary == $"Linked to {theirs}" && e.Visibility == TimelineVisibility.Internal);
        Assert.Empty((await De.Incidents(De.GridcoKey).GetIncidentAsync(new GetIncidentRequest { TrackingId = theirs })).Incident.LinkedTrackingIds);
        await RpcAssert.FailsWith(StatusCode.NotFound,
            () => De.Incidents().LinkIncidentAsync(new LinkIncidentRequest { TrackingId = theirs, LinkedTrackingId = "CIRT-2020-999999" }).ResponseAsync);
        Assert.Equal(["linked_tracking_id"], await RpcAssert.InvalidFields(
            () => De.Incidents().LinkIncidentAsync(new LinkIncidentRequest { TrackingId = theirs, LinkedTrackingId = theirs }).ResponseAsync));
    }

    [Fact]
    public async Task NotesFlowBothWaysEachOnceAndInternalNotesNeverLeave()
    {
        var ours = await ReportAsync(Fr, "DDoS on the transmission operator's portal");
        await ShareAsync(ours);
        var foreign = await ForeignAtDeAsync(ours);

        await Fr.Incidents().AddNoteAsync(new AddNoteRequest { TrackingId = ours, Text = "Internal: attribution to a known group", Visibility = TimelineVisibility.Internal });
        await Fr.Incidents().AddNoteAsync(new AddNoteRequest { TrackingId = ours, Text = "Scrubbing centre engaged", Visibility = TimelineVisibility.Shared });

        var atDe = await Eventually.ReadAsync(() => GetAsync(De, foreign.TrackingId),
            i => i.Timeline.Any(e => e.Summary.Contains("Scrubbing centre engaged", StringComparison.Ordinal)), "France's shared note reaches Germany");
        Assert.Single(atDe.Timeline, e => e.Summary == $"Note from {France} (alice): Scrubbing centre engaged");
        Assert.DoesNotContain(atDe.Timeline, e => e.Summary.Contains("attribution", StringComparison.Ordinal));
        Assert.DoesNotContain(await PayloadsToAsync(Fr, Germany, ours), p => p.Contains("attribution", StringComparison.Ordinal));

        await De.Incidents().AddNoteAsync(new AddNoteRequest { TrackingId = foreign.TrackingId, Text = "Same botnet hits a German operator", Visibility = TimelineVisibility.Shared });

        var atFr = await Eventually.ReadAsync(() => GetAsync(Fr, ours),
            i => i.Timeline.Any(e => e.Summary.Contains("Same botnet", StringComparison.Ordinal)), "Germany's note reaches France");
        var entry = Assert.Single(atFr.Timeline, e => e.Summary == $"Note from {Germany} (alice): Same botnet hits a German operator");
        Assert.Equal((TimelineVisibility.Internal, "partner:" + Germany), (entry.Visibility, entry.Actor));
        // Nothing echoes: Germany's note does not come back to Germany.
        await DeliveredAsync(Fr, Germany, ours);
        Assert.Single((await GetAsync(De, foreign.TrackingId)).Timeline, e => e.Summary.Contains("Same botnet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StatusChangesFlowBothWaysAndLeaveTheOtherSidesStatusAlone()
    {
        var ours = await ReportAsync(Fr, "Ransomware at a hospital group");
        await ShareAsync(ours);
        var foreign = await ForeignAtDeAsync(ours);

        await Fr.Incidents().TransitionIncidentAsync(new TransitionIncidentRequest { TrackingId = ours, TargetStatus = IncidentStatus.Responding, Reason = "containment" });

        var atDe = await Eventually.ReadAsync(() => GetAsync(De, foreign.TrackingId),
            i => i.Timeline.Any(e => e.Summary.StartsWith($"{France}: status responding", StringComparison.Ordinal)), "France's status change reaches Germany");
        Assert.Contains(atDe.Timeline, e => e.Summary == $"{France}: status responding — triaged → responding: containment");
        Assert.Equal(IncidentStatus.Reported, atDe.Status);

        await De.Incidents().TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = foreign.TrackingId, Outcome = TriageOutcome.Accept, RsitClass = "malicious-code", RsitType = "infected-system", Severity = Severity.High,
        });

        var atFr = await Eventually.ReadAsync(() => GetAsync(Fr, ours),
            i => i.Timeline.Any(e => e.Summary.StartsWith($"{Germany}: status triaged", StringComparison.Ordinal)), "Germany's triage reaches France");
        Assert.Equal(IncidentStatus.Responding, atFr.Status);
    }

    [Fact]
    public async Task ATlpRedIncidentNeverLeaves()
    {
        var red = await ReportAsync(Fr, "Compromise of a ministry's mail", Tlp.Red);

        var refused = await RpcAssert.FailsWith(StatusCode.FailedPrecondition,
            () => Fr.Incidents().ShareIncidentAsync(new ShareIncidentRequest { TrackingId = red, PartnerId = Germany }).ResponseAsync);

        Assert.Contains("TLP:RED never leaves", refused.Status.Detail);
        Assert.Empty(await PayloadsToAsync(Fr, Germany, red));
        Assert.Empty((await GetAsync(Fr, red)).PartnerShares);
    }

    [Fact]
    public async Task AnUnknownPartnerIsNotFoundAndABadIdInvalid()
    {
        var ours = await ReportAsync(Fr, "Scanning from a hosting provider");

        await RpcAssert.FailsWith(StatusCode.NotFound,
            () => Fr.Incidents().ShareIncidentAsync(new ShareIncidentRequest { TrackingId = ours, PartnerId = "cirt-nowhere" }).ResponseAsync);
        Assert.Equal(["partner_id"], await RpcAssert.InvalidFields(
            () => Fr.Incidents().ShareIncidentAsync(new ShareIncidentRequest { TrackingId = ours, PartnerId = "CIRT DE" }).ResponseAsync));
        await RpcAssert.FailsWith(StatusCode.PermissionDenied,
            () => Fr.Incidents(Fr.GridcoKey).ShareIncidentAsync(new ShareIncidentRequest { TrackingId = ours, PartnerId = Germany }).ResponseAsync);
    }

    [Fact]
    public async Task AnEmailAddressInASharedNoteHoldsItUntilApproved()
    {
        var ours = await ReportAsync(Fr, "Business e-mail compromise at a grid operator");
        await ShareAsync(ours);
        var foreign = await ForeignAtDeAsync(ours);

        await Fr.Incidents().AddNoteAsync(new AddNoteRequest
        {
            TrackingId = ours, Text = "The fraudulent orders came from billing@grid-example.test", Visibility = TimelineVisibility.Shared,
        });

        var held = await Eventually.ReadAsync(() => MessagesAsync(Fr, Germany, ours),
            ms => ms.Any(m => m.Action == OutboxAction.Note && m.State == OutboxState.Held), "the note is held");
        var note = held.Single(m => m.Action == OutboxAction.Note);
        var shown = await Fr.Partners().GetOutboxMessageAsync(new GetOutboxMessageRequest { MessageId = note.MessageId });
        Assert.Equal((PersonalDataKind.EmailAddress, "billing@grid-example.test"), (shown.Message.Findings.Single().Kind, shown.Message.Findings.Single().Match));
        Assert.DoesNotContain((await GetAsync(De, foreign.TrackingId)).Timeline, e => e.Summary.Contains("fraudulent orders", StringComparison.Ordinal));

        await Fr.Partners().ApproveOutboxMessageAsync(new ApproveOutboxMessageRequest { MessageId = note.MessageId });

        var atDe = await Eventually.ReadAsync(() => GetAsync(De, foreign.TrackingId),
            i => i.Timeline.Any(e => e.Summary.Contains("fraudulent orders", StringComparison.Ordinal)), "the approved note reaches Germany");
        var entry = atDe.Timeline.Single(e => e.Summary.Contains("fraudulent orders", StringComparison.Ordinal));
        Assert.Contains(SharingPolicy.EmailMarker, entry.Summary);
        Assert.DoesNotContain("billing@", entry.Summary);
    }

    [Fact]
    public async Task ANoteThatOvertakesItsHeldIncidentIsRecordedOnceTheIncidentIsApproved()
    {
        var ours = await ReportAsync(Fr, "Invoices from accounts@utility-example.test were forged");
        var shared = await Fr.Incidents().ShareIncidentAsync(new ShareIncidentRequest { TrackingId = ours, PartnerId = Germany });
        Assert.Equal(OutboxState.Held, shared.State);

        await Fr.Incidents().AddNoteAsync(new AddNoteRequest { TrackingId = ours, Text = "Payments stopped at the bank", Visibility = TimelineVisibility.Shared });
        await Eventually.ReadAsync(() => MessagesAsync(Fr, Germany, ours),
            ms => ms.Any(m => m.Action == OutboxAction.Note && m.State == OutboxState.Delivered), "the note leaves before its held incident");

        await Fr.Partners().ApproveOutboxMessageAsync(new ApproveOutboxMessageRequest { MessageId = shared.MessageId });

        var foreign = await ForeignAtDeAsync(ours);
        Assert.Contains(SharingPolicy.EmailMarker, foreign.Title);
        Assert.Single(foreign.Timeline, e => e.Summary == $"Note from {France} (alice): Payments stopped at the bank");
    }

    /// <summary>A report of gridco's at <paramref name="server"/>, triaged by its analyst; its tracking id.</summary>
    private static async Task<string> ReportAsync(ServerFixture server, string title, Tlp tlp = Tlp.Amber)
    {
        var report = Reports.Valid();
        report.Title = title;
        report.Tlp = tlp;
        var submitted = await server.Reporting().SubmitIncidentAsync(report);
        var id = submitted.Incident.TrackingId;
        await server.Incidents().TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = id, Outcome = TriageOutcome.Accept, RsitClass = "malicious-code", RsitType = "infected-system", Severity = Severity.Medium,
        });
        return id;
    }

    private async Task ShareAsync(string trackingId) =>
        await Fr.Incidents().ShareIncidentAsync(new ShareIncidentRequest { TrackingId = trackingId, PartnerId = Germany });

    private static async Task<Incident> GetAsync(ServerFixture server, string trackingId) =>
        (await server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId, TimelinePageSize = 1000 })).Incident;

    /// <summary>Germany's foreign incident for France's <paramref name="frTrackingId"/>, once it has arrived.</summary>
    private async Task<Incident> ForeignAtDeAsync(string frTrackingId)
    {
        var found = await Eventually.ReadAsync(async () =>
        {
            var rows = (await De.Incidents().ListIncidentsAsync(new ListIncidentsRequest { PageSize = 500 })).Incidents.Where(i => i.OriginInstanceId == France);
            foreach (var row in rows)
            {
                var incident = await GetAsync(De, row.TrackingId);
                if (incident.PartnerOrigin?.ItemId == frTrackingId)
                {
                    return incident;
                }
            }

            return null;
        }, i => i is not null, $"{frTrackingId} arrives at {Germany}");
        return found!;
    }

    private static async Task<List<OutboxMessage>> MessagesAsync(ServerFixture server, string partnerId, string trackingId) =>
        (await server.Partners().ListOutboxAsync(new ListOutboxRequest { PartnerId = partnerId, PageSize = 200 })).Messages.Where(m => m.ItemId == trackingId).ToList();

    /// <summary>Waits until every message about <paramref name="trackingId"/> for <paramref name="partnerId"/> is delivered.</summary>
    private static Task DeliveredAsync(ServerFixture server, string partnerId, string trackingId) =>
        Eventually.ReadAsync(() => MessagesAsync(server, partnerId, trackingId), ms => ms.Count > 0 && ms.All(m => m.State == OutboxState.Delivered), $"{trackingId}'s messages delivered");

    /// <summary>What left (or waits to leave) <paramref name="server"/> for <paramref name="partnerId"/> about <paramref name="trackingId"/>, byte for byte.</summary>
    private static async Task<List<string>> PayloadsToAsync(ServerFixture server, string partnerId, string trackingId)
    {
        var payloads = new List<string>();
        foreach (var message in await MessagesAsync(server, partnerId, trackingId))
        {
            payloads.Add((await server.Partners().GetOutboxMessageAsync(new GetOutboxMessageRequest { MessageId = message.MessageId })).Payload);
        }

        return payloads;
    }
}
