using System.Text;
using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Api;

/// <summary>
/// Page tokens are opaque. A forged offset near int.MaxValue must be refused as a bad token, never
/// followed by a page and a next token whose offset has overflowed into the negative. The queue's
/// lists (ListIncidents, ListTasks, ListDeadlines) page by signed position and refuse every offset
/// token (see QueuePageTokenTests).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class PageTokenTests(ServerFixture server)
{
    private static string Token(long offset) => Convert.ToBase64String(Encoding.ASCII.GetBytes("offset:" + offset));

    /// <summary>Every paged RPC, called with <c>page_token</c> and the largest page, as a principal allowed to call it.</summary>
    public static TheoryData<string> PagedRpcs() => ["ListIncidents", "ListTasks", "ListDeadlines", "ListStakeholders", "ListUnmatchedEvents"];

    /// <summary>The paged RPCs that still page by offset.</summary>
    public static TheoryData<string> OffsetPagedRpcs() => ["ListStakeholders", "ListUnmatchedEvents"];

    /// <summary>The queue's lists, which page by signed position.</summary>
    public static TheoryData<string> KeysetPagedRpcs() => ["ListIncidents", "ListTasks", "ListDeadlines"];

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
    [MemberData(nameof(KeysetPagedRpcs))]
    public async Task AnOffsetTokenOfEarlierReleasesIsRefusedByTheQueueLists(string rpc)
    {
        Assert.Equal(["page_token"], await RpcAssert.InvalidFields(Call(rpc, Token(50))));
    }

    [Theory]
    [MemberData(nameof(OffsetPagedRpcs))]
    public async Task ATokenPastTheEndGivesAnEmptyLastPage(string rpc)
    {
        // A large offset that leaves room for a page is still a valid position: past the end, nothing follows.
        await Call(rpc, Token(1_000_000))();
    }
}
