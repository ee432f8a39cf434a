using Cirt.Contracts.V1;
using Cirt.Server.Api;

namespace Cirt.Server.Tests.Api;

/// <summary>
/// The queue's page tokens over real gRPC: following them pages through a list once and to its
/// end; a token changed by hand, used with other filters or order, by another caller, or issued
/// under another server's secret is refused with INVALID_ARGUMENT on page_token.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class QueuePageTokenTests(ServerFixture server)
{
    [Fact]
    public async Task FollowingTheTokensVisitsEveryIncidentOnceAndEnds()
    {
        await EnoughIncidentsAsync();
        var request = new ListIncidentsRequest { Order = IncidentOrder.MostSevereFirst, PageSize = 2 };
        var visited = new List<string>();
        var page = await server.Incidents().ListIncidentsAsync(request);
        visited.AddRange(page.Incidents.Select(i => i.TrackingId));
        while (page.NextPageToken.Length > 0)
        {
            page = await server.Incidents().ListIncidentsAsync(new ListIncidentsRequest(request) { PageToken = page.NextPageToken });
            visited.AddRange(page.Incidents.Select(i => i.TrackingId));
        }

        Assert.Equal(visited.Count, visited.Distinct().Count());
        Assert.True(visited.Count >= page.TotalSize - 5, "paging ended early"); // other tests may add incidents meanwhile
    }

    [Fact]
    public async Task ATokenChangedByHandIsRefused()
    {
        var token = await FirstTokenAsync(new ListIncidentsRequest { PageSize = 1 });
        var position = token[..token.IndexOf('.', StringComparison.Ordinal)];
        // Another position under the same signature, and the same position under a shortened one.
        var otherPosition = Convert.ToBase64String("0|0|1|CIRT-2026-000001"u8.ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        foreach (var tampered in new[] { otherPosition + token[position.Length..], token[..^2], token + "A", position })
        {
            Assert.Equal(["page_token"], await RpcAssert.InvalidFields(
                () => server.Incidents().ListIncidentsAsync(new ListIncidentsRequest { PageSize = 1, PageToken = tampered }).ResponseAsync));
        }
    }

    [Fact]
    public async Task ATokenUsedWithAnotherQueryOrByAnotherCallerIsRefused()
    {
        var asked = new ListIncidentsRequest { PageSize = 1, Statuses = { IncidentStatus.Reported } };
        var token = await FirstTokenAsync(asked);
        var others = new[]
        {
            new ListIncidentsRequest(asked) { Order = IncidentOrder.MostSevereFirst },
            new ListIncidentsRequest(asked) { Statuses = { IncidentStatus.Triaged } },
            new ListIncidentsRequest(asked) { SectorCode = "ENERGY" },
            new ListIncidentsRequest(asked) { StakeholderId = "gridco" },
        };
        foreach (var other in others)
        {
            other.PageToken = token;
            Assert.Equal(["page_token"], await RpcAssert.InvalidFields(() => server.Incidents().ListIncidentsAsync(other).ResponseAsync));
        }

        // The same request with the same token, by another analyst's key or by an operator.
        var analyst = await server.IssueKeyAsync("second-analyst-" + Guid.NewGuid().ToString("N")[..6], Role.Analyst);
        foreach (var key in new[] { analyst, server.GridcoKey })
        {
            Assert.Equal(["page_token"], await RpcAssert.InvalidFields(
                () => server.Incidents(key).ListIncidentsAsync(new ListIncidentsRequest(asked) { PageToken = token }).ResponseAsync));
        }

        // And with the request it came from, it works.
        await server.Incidents().ListIncidentsAsync(new ListIncidentsRequest(asked) { PageToken = token });
    }

    [Fact]
    public async Task TaskAndDeadlineTokensAreBoundToTheirListToo()
    {
        await EnoughIncidentsAsync();
        var deadlines = await server.Incidents().ListDeadlinesAsync(new ListDeadlinesRequest { View = DeadlineView.All, PageSize = 1 });
        Assert.NotEqual("", deadlines.NextPageToken);

        // A deadline token is no incident token, nor a token of another deadline view.
        Assert.Equal(["page_token"], await RpcAssert.InvalidFields(
            () => server.Incidents().ListIncidentsAsync(new ListIncidentsRequest { PageSize = 1, PageToken = deadlines.NextPageToken }).ResponseAsync));
        Assert.Equal(["page_token"], await RpcAssert.InvalidFields(
            () => server.Incidents().ListDeadlinesAsync(new ListDeadlinesRequest { View = DeadlineView.Open, PageSize = 1, PageToken = deadlines.NextPageToken }).ResponseAsync));
        Assert.Equal(["page_token"], await RpcAssert.InvalidFields(
            () => server.Incidents().ListTasksAsync(new ListTasksRequest { PageSize = 1, PageToken = deadlines.NextPageToken }).ResponseAsync));
        var next = await server.Incidents().ListDeadlinesAsync(new ListDeadlinesRequest { View = DeadlineView.All, PageSize = 1, PageToken = deadlines.NextPageToken });
        Assert.NotEqual(deadlines.Deadlines.Single().Incident.TrackingId + deadlines.Deadlines.Single().Deadline.Kind,
            next.Deadlines.Single().Incident.TrackingId + next.Deadlines.Single().Deadline.Kind);
    }

    [Fact]
    public void ATokenFromAnotherServerIsRefused()
    {
        var ours = new SignedPageTokens(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        var theirs = new SignedPageTokens(new byte[32]);
        var token = theirs.Issue("incidents|query", "3|0|1700000000000|CIRT-2026-000009");

        Assert.Equal("3|0|1700000000000|CIRT-2026-000009", theirs.Read(token, "incidents|query"));
        var refused = Assert.Throws<Grpc.Core.RpcException>(() => ours.Read(token, "incidents|query"));
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, refused.StatusCode);
    }

    private async Task<string> FirstTokenAsync(ListIncidentsRequest request)
    {
        await EnoughIncidentsAsync();
        var page = await server.Incidents().ListIncidentsAsync(request);
        Assert.NotEqual("", page.NextPageToken);
        return page.NextPageToken;
    }

    /// <summary>At least three reported incidents with deadlines, whatever ran before.</summary>
    private async Task EnoughIncidentsAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            await server.Reporting().SubmitIncidentAsync(Reports.Valid(significant: true));
        }
    }
}
