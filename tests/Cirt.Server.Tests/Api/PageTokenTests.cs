using System.Text;
using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Api;

/// <summary>
/// Page tokens are opaque offsets. A forged one near int.MaxValue must be refused as a bad token,
/// never followed by a page and a next token whose offset has overflowed into the negative.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class PageTokenTests(ServerFixture server)
{
    private static string Token(long offset) => Convert.ToBase64String(Encoding.ASCII.GetBytes("offset:" + offset));

    /// <summary>Every paged RPC, called with <c>page_token</c> and the largest page, as a principal allowed to call it.</summary>
    public static TheoryData<string> PagedRpcs() => ["ListIncidents", "ListTasks", "ListDeadlines", "ListStakeholders", "ListUnmatchedEvents"];

    private Func<Task> Call(string rpc, string token) => rpc switch
    {
        "ListIncidents" => () => server.Incidents().ListIncidentsAsync(new ListIncidentsRequest { PageToken = token, PageSize = 500 }).ResponseAsync,
        "ListTasks" => () => server.Incidents().ListTasksAsync(new ListTasksRequest { PageToken = token, PageSize = 500 }).ResponseAsync,
        "ListDeadlines" => () => server.Incidents().ListDeadlinesAsync(new ListDeadlinesRequest { PageToken = token, PageSize = 500 }).ResponseAsync,
        "ListStakeholders" => () => server.Stakeholders().ListStakeholdersAsync(new ListStakeholdersRequest { PageToken = token, PageSize = 500 }).ResponseAsync,
        "ListUnmatchedEvents" => () => server.Ingest(server.AnalystKey).ListUnmatchedEventsAsync(new ListUnmatchedEventsRequest { PageToken = token, PageSize = 500 }).ResponseAsync,
        _ => throw new ArgumentOutOfRangeException(nameof(rpc)),
    };

    [Theory]
    [MemberData(nameof(PagedRpcs))]
    public async Task ATokenNearTheLargestOffsetIsRefusedAsABadToken(string rpc)
    {
        foreach (var offset in new long[] { int.MaxValue, int.MaxValue - 1, int.MaxValue - 400, (long)int.MaxValue + 1 })
        {
            var fields = await RpcAssert.InvalidFields(Call(rpc, Token(offset)));

            Assert.Equal(["page_token"], fields);
        }
    }

    [Theory]
    [MemberData(nameof(PagedRpcs))]
    public async Task ATokenPastTheEndGivesAnEmptyLastPage(string rpc)
    {
        // A large offset that leaves room for a page is still a valid position: past the end, nothing follows.
        await Call(rpc, Token(1_000_000))();
    }

    [Fact]
    public async Task ATokenPastTheEndOfTheIncidentsHasNoNextToken()
    {
        var page = await server.Incidents().ListIncidentsAsync(new ListIncidentsRequest { PageToken = Token(1_000_000), PageSize = 500 });

        Assert.Empty(page.Incidents);
        Assert.Equal("", page.NextPageToken);
    }
}
