using Cirt.Grains.Incidents;

namespace Cirt.Grains.Tests.Incidents;

public sealed class TrackingIdsTests
{
    [Fact]
    public void TrackingIdIsYearAndSixDigitNumber()
    {
        var trackingId = TrackingIds.Format(2026, 42);

        Assert.Equal("CIRT-2026-000042", trackingId);
        Assert.True(TrackingIds.IsValid(trackingId));
    }

    [Fact]
    public void NumberPastSixDigitsKeepsAllItsDigits()
    {
        var trackingId = TrackingIds.Format(2026, 1_234_567);

        Assert.Equal("CIRT-2026-1234567", trackingId);
        Assert.True(TrackingIds.IsValid(trackingId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("CIRT-2026-42")]
    [InlineData("CIRT-26-000042")]
    [InlineData("cirt-2026-000042")]
    [InlineData("CERT-2026-000042")]
    [InlineData("CIRT-2026-000042 ")]
    [InlineData("CIRT-2026-00004A")]
    public void MalformedTrackingIdIsNotValid(string trackingId)
    {
        Assert.False(TrackingIds.IsValid(trackingId));
    }
}
