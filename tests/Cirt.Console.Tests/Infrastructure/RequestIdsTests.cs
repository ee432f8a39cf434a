using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;

namespace Cirt.Console.Tests.Infrastructure;

/// <summary>Which calls the console may send again: reads, and requests it gave a request id (found by protobuf reflection).</summary>
public sealed class RequestIdsTests
{
    [Fact]
    public void AnEmptyRequestIdIsFilledOnceAndKept()
    {
        var request = new SubmitIncidentRequest { Title = "Ransomware on HMI" };

        var first = RequestIds.Ensure(request);
        var again = RequestIds.Ensure(request);

        Assert.True(Guid.TryParse(first, out _), $"'{first}' is not a UUID");
        Assert.Equal(first, again);
        Assert.Equal(first, request.RequestId);
    }

    [Fact]
    public void AGivenRequestIdIsLeftAsItIs()
    {
        var request = new SubmitIncidentRequest { RequestId = "operator-chosen-id" };

        Assert.Equal("operator-chosen-id", RequestIds.Ensure(request));
    }

    [Fact]
    public void ARequestWithoutTheFieldHasNoRequestId() =>
        Assert.Null(RequestIds.Ensure(new GetIncidentRequest { TrackingId = "CIRT-2026-000042" }));

    [Theory]
    [InlineData("ListIncidents", true)]
    [InlineData("GetIncident", true)]
    [InlineData("WhoAmI", true)]
    [InlineData("WatchIncidents", true)]
    [InlineData("ExportAdvisory", true)]
    [InlineData("FollowInbox", true)]
    [InlineData("TriageIncident", false)]
    [InlineData("SubmitIncident", false)]
    [InlineData("Getaway", false)]
    public void ReadsAreKnownByTheirNames(string method, bool read) => Assert.Equal(read, CallKinds.IsRead(method));
}
