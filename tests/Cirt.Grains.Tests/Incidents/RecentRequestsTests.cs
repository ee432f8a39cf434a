using Cirt.Grains.Common;

namespace Cirt.Grains.Tests.Incidents;

public sealed class RecentRequestsTests
{
    [Fact]
    public void ARequestIsRememberedUntilSixtyFourNewerOnesFollowIt()
    {
        var first = new RecentRequest("first", "d");
        var recent = RecentRequests.Remember([], first);
        for (var i = 0; i < RecentRequests.Kept - 1; i++)
        {
            recent = RecentRequests.Remember(recent, new RecentRequest($"k{i}", "d"));
        }

        Assert.True(RecentRequests.AlreadyApplied(recent, first));

        recent = RecentRequests.Remember(recent, new RecentRequest("one more", "d"));

        Assert.Equal(RecentRequests.Kept, recent.Length);
        Assert.False(RecentRequests.AlreadyApplied(recent, first));
    }

    [Fact]
    public void NoRequestIsNeverApplied() =>
        Assert.False(RecentRequests.AlreadyApplied([new RecentRequest("k", "d")], null));

    [Fact]
    public void TheSameKeyWithAnotherDigestIsRefused()
    {
        var refused = Assert.Throws<CirtException>(() => RecentRequests.AlreadyApplied([new RecentRequest("k", "d1")], new RecentRequest("k", "d2")));

        Assert.Equal((CirtErrorKind.InvalidArgument, "request_id"), (refused.Kind, refused.Field));
    }
}
