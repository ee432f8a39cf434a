using Cirt.Contracts.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Cirt.Server.Tests.Incidents;

/// <summary>
/// Issue 16, finding 1: an organisation affected by someone else's incident must not be able to
/// make it unreadable by writing notes, no incident may outgrow a response, and no call may apply a
/// change while it answers an error.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class UnreadableIncidentTests(ServerFixture server)
{
    /// <summary>A maximum-size note: 10,000 characters of three UTF-8 bytes each.</summary>
    private static readonly string LongestNote = new('€', 10_000);

    /// <summary>What a response may take: the gRPC message limit (4 MiB).</summary>
    private const int MessageLimit = 4 * 1024 * 1024;

    /// <summary>gridco's AMBER incident affecting firstbank, and a key of firstbank's.</summary>
    private async Task<(string TrackingId, IncidentService.IncidentServiceClient Firstbank)> GridcoIncidentAffectingFirstbankAsync()
    {
        var report = Reports.Valid("gridco");
        report.Tlp = Tlp.Amber;
        var trackingId = (await server.Reporting().SubmitIncidentAsync(report)).TrackingId;
        await server.Incidents().AddAffectedStakeholdersAsync(new AddAffectedStakeholdersRequest { TrackingId = trackingId, StakeholderIds = { "firstbank" } });
        var firstbank = server.Incidents(await server.IssueKeyAsync("firstbank-soc", Role.Operator, "firstbank"));
        return (trackingId, firstbank);
    }

    private async Task<Incident> StoredAsync(string trackingId) =>
        (await server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId })).Incident;

    [Fact]
    public async Task AnAffectedOrganisationFillingTheTimelineWithNotesIsRefusedAndTheIncidentStaysReadable()
    {
        var (trackingId, firstbank) = await GridcoIncidentAffectingFirstbankAsync();

        RpcException? refusal = null;
        var accepted = 0;
        for (var n = 0; n < 200 && refusal is null; n++)
        {
            try
            {
                await firstbank.AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = LongestNote });
                accepted++;
            }
            catch (RpcException ex)
            {
                refusal = ex;
            }
        }

        Assert.NotNull(refusal);
        Assert.True(refusal.StatusCode == StatusCode.FailedPrecondition, $"{refusal.StatusCode}: {refusal.Status.Detail}");
        Assert.StartsWith("This incident's timeline is full for firstbank:", refusal.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("nothing was added", refusal.Status.Detail, StringComparison.Ordinal);
        foreach (var key in new[] { server.AnalystKey, server.GridcoKey })
        {
            var incident = (await server.Incidents(key).GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId })).Incident;
            Assert.Equal(accepted, incident.Timeline.Count(e => e.Kind == "note"));
        }

        var seen = (await firstbank.GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId })).Incident;
        Assert.Equal(trackingId, seen.TrackingId);
        Assert.InRange(accepted, 1, 9);
    }

    [Fact]
    public async Task AnOrganisationThatFilledItsShareLeavesTheReporterAndTheCirtFreeToWork()
    {
        var (trackingId, firstbank) = await GridcoIncidentAffectingFirstbankAsync();
        await FloodAsync(firstbank, trackingId, notes: 20);

        var reporter = (await server.Incidents(server.GridcoKey).AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = "Still on manual control" })).Incident;
        var cirt = (await server.Incidents().AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = "firstbank flooded the timeline" })).Incident;

        Assert.Equal("Still on manual control", reporter.Timeline[^1].Summary);
        Assert.Equal("firstbank flooded the timeline", cirt.Timeline[^1].Summary);
    }

    [Fact]
    public async Task ARefusedNoteLeavesTheStoredIncidentAsItWas()
    {
        var (trackingId, firstbank) = await GridcoIncidentAffectingFirstbankAsync();
        await FloodAsync(firstbank, trackingId, notes: 20);
        var before = await StoredAsync(trackingId);

        await RpcAssert.FailsWith(StatusCode.FailedPrecondition,
            () => firstbank.AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = LongestNote }).ResponseAsync);

        var after = await StoredAsync(trackingId);
        Assert.Equal((before.Version, before.TimelineTotal), (after.Version, after.TimelineTotal));
        Assert.Equal(before.Timeline, after.Timeline);
    }

    [Fact]
    public async Task AnAnalystTriagesAFloodedIncidentAndTheAnswerAgreesWithWhatIsStored()
    {
        var (trackingId, firstbank) = await GridcoIncidentAffectingFirstbankAsync();
        await FloodAsync(firstbank, trackingId, notes: 160);

        var answer = (await server.Incidents().TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = trackingId, Outcome = TriageOutcome.Reject, Reason = "not an incident: a scheduled maintenance",
        })).Incident;

        var stored = await StoredAsync(trackingId);
        Assert.Equal(IncidentStatus.Rejected, answer.Status);
        Assert.Equal((answer.Status, answer.Version, answer.TimelineTotal), (stored.Status, stored.Version, stored.TimelineTotal));
        Assert.Equal("rejected", stored.Timeline[^1].Kind);
    }

    [Fact]
    public async Task AnIncidentAtEveryBoundStillAnswersEveryCallWithinTheMessageLimit()
    {
        var (trackingId, firstbank) = await GridcoIncidentAffectingFirstbankAsync();
        var staff = server.Incidents();
        await staff.AddObservablesAsync(new AddObservablesRequest
        {
            TrackingId = trackingId,
            Observables = { Enumerable.Range(0, 160).Select(n => new Observable { Type = ObservableType.Url, Value = $"https://{n}.example/" + new string('€', 2_000) }) },
        });
        await FloodAsync(firstbank, trackingId, notes: 20);
        await FloodAsync(server.Incidents(server.GridcoKey), trackingId, notes: 20);
        await FloodAsync(staff, trackingId, notes: 100);

        var full = (await staff.GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId, TimelinePageSize = 1_000 })).Incident;
        var triaged = await staff.TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = trackingId, Outcome = TriageOutcome.Accept, RsitClass = "malicious-code", RsitType = "infected-system", Severity = Severity.High,
        });
        var read = (await firstbank.GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId, TimelinePageSize = 1_000 })).Incident;

        Assert.InRange(full.CalculateSize(), 1_500_000, MessageLimit - 512 * 1024);
        Assert.True(full.Timeline.Count < full.TimelineTotal, "a full timeline is read in pages");
        Assert.InRange(triaged.CalculateSize(), 0, MessageLimit - 512 * 1024);
        Assert.InRange(read.CalculateSize(), 0, MessageLimit - 512 * 1024);
    }

    [Fact]
    public async Task ALongTimelineIsReadPageByPageNewestFirstEveryEntryOnce()
    {
        var trackingId = (await server.Reporting().SubmitIncidentAsync(Reports.Valid())).TrackingId;
        var staff = server.Incidents();
        for (var n = 1; n <= 240; n++)
        {
            await staff.AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = $"note {n}", Visibility = TimelineVisibility.Shared });
        }

        var first = await staff.GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId });
        var sequences = first.Incident.Timeline.Select(e => e.Sequence).ToList();
        var token = first.TimelineNextPageToken;
        while (token.Length > 0)
        {
            var page = await staff.GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId, TimelinePageSize = 70, TimelinePageToken = token });
            sequences.InsertRange(0, page.Incident.Timeline.Select(e => e.Sequence));
            token = page.TimelineNextPageToken;
        }

        Assert.Equal(241, first.Incident.TimelineTotal);
        Assert.Equal(Enumerable.Range(142, 100), first.Incident.Timeline.Select(e => e.Sequence));
        Assert.Equal("note 240", first.Incident.Timeline[^1].Summary);
        Assert.Equal(Enumerable.Range(1, 241), sequences);
    }

    [Fact]
    public async Task ATimelinePageOutOfRangeOrATokenNotOursIsRefusedNamingTheField()
    {
        var trackingId = (await server.Reporting().SubmitIncidentAsync(Reports.Valid())).TrackingId;

        var size = await RpcAssert.InvalidFields(() => server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId, TimelinePageSize = 1_001 }).ResponseAsync);
        var token = await RpcAssert.InvalidFields(() => server.Incidents().GetIncidentAsync(new GetIncidentRequest
        {
            TrackingId = trackingId, TimelinePageToken = Convert.ToBase64String("timeline-before:99999999999"u8.ToArray()),
        }).ResponseAsync);

        Assert.Equal(["timeline_page_size"], size);
        Assert.Equal(["timeline_page_token"], token);
    }

    /// <summary>Adds up to <paramref name="notes"/> maximum-size notes, refused or not, as an attacker would.</summary>
    private static async Task FloodAsync(IncidentService.IncidentServiceClient client, string trackingId, int notes)
    {
        for (var n = 0; n < notes; n++)
        {
            try
            {
                await client.AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = LongestNote });
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.FailedPrecondition)
            {
                // Refused: the flood goes on.
            }
        }
    }
}
