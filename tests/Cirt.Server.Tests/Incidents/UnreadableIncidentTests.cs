using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Incidents;

/// <summary>
/// Issue 16, finding 1: an organisation affected by someone else's incident must not be able to
/// make it unreadable by writing notes, and no call may apply a change while it answers an error.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class UnreadableIncidentTests(ServerFixture server)
{
    /// <summary>A maximum-size note: 10,000 characters of three UTF-8 bytes each.</summary>
    private static readonly string LongestNote = new('€', 10_000);

    /// <summary>gridco's AMBER incident affecting firstbank, and a key of firstbank's.</summary>
    private async Task<(string TrackingId, IncidentService.IncidentServiceClient Firstbank)> GridcoIncidentAffectingFirstbankAsync()
    {
        var report = Reports.Valid("gridco");
        report.Tlp = Tlp.Amber;
        report.AffectedStakeholderIds.Add("firstbank");
        var trackingId = (await server.Reporting().SubmitIncidentAsync(report)).TrackingId;
        var firstbank = server.Incidents(await server.IssueKeyAsync("firstbank-soc", Role.Operator, "firstbank"));
        return (trackingId, firstbank);
    }

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
        Assert.Contains("timeline is full", refusal.Status.Detail, StringComparison.Ordinal);
        foreach (var key in new[] { server.AnalystKey, server.GridcoKey })
        {
            var incident = (await server.Incidents(key).GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId })).Incident;
            Assert.Equal(trackingId, incident.TrackingId);
        }

        var seen = (await firstbank.GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId })).Incident;
        Assert.Equal(trackingId, seen.TrackingId);
        Assert.True(accepted > 0, "the first notes are accepted");
    }

    [Fact]
    public async Task AnAnalystTriagesAFloodedIncidentAndTheAnswerAgreesWithWhatIsStored()
    {
        var (trackingId, firstbank) = await GridcoIncidentAffectingFirstbankAsync();
        for (var n = 0; n < 160; n++)
        {
            try
            {
                await firstbank.AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = LongestNote });
            }
            catch (RpcException)
            {
                // Refused or not: the flood goes on, as an attacker's would.
            }
        }

        var answer = (await server.Incidents().TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = trackingId, Outcome = TriageOutcome.Reject, Reason = "not an incident: a scheduled maintenance",
        })).Incident;

        var stored = (await server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId })).Incident;
        Assert.Equal(IncidentStatus.Rejected, answer.Status);
        Assert.Equal((answer.Status, answer.Version), (stored.Status, stored.Version));
        Assert.Equal("rejected", stored.Timeline[^1].Kind);
    }
}
