using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Idempotency;

/// <summary>What the server says uses the console's words for states and enums, not the code's names.</summary>
[Collection(ServerCollection.Name)]
public sealed class WordingTests(ServerFixture server)
{
    [Fact]
    public async Task TransitionsAndTheirRefusalsNameStatesAsTheConsoleSpellsThem()
    {
        var id = (await server.Reporting().SubmitIncidentAsync(Reports.Valid())).TrackingId;
        var incidents = server.Incidents();
        await incidents.TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = id, Outcome = TriageOutcome.Accept, RsitClass = "malicious-code", RsitType = "infected-system", Severity = Severity.High,
        });

        var illegal = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () =>
            incidents.TransitionIncidentAsync(new TransitionIncidentRequest { TrackingId = id, TargetStatus = IncidentStatus.Closed }).ResponseAsync);
        var moved = await incidents.TransitionIncidentAsync(new TransitionIncidentRequest { TrackingId = id, TargetStatus = IncidentStatus.Responding, Reason = "containment" });

        Assert.Equal("An incident cannot move from triaged to closed. Legal transitions from triaged: responding, resolved.", illegal.Status.Detail);
        Assert.Equal("triaged → responding: containment", moved.Incident.Timeline.Last(e => e.Kind == "transitioned").Summary);
        Assert.Contains("severity high", moved.Incident.Timeline.Single(e => e.Kind == "triaged").Summary, StringComparison.Ordinal);
    }
}
