using Cirt.Console.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace Cirt.Console.Tests.Output;

/// <summary>The one time format: ISO 8601 in UTC, to the minute or to the second.</summary>
public sealed class TimesTests
{
    [Fact]
    public void ATimeIsPrintedInUtcToTheMinute() =>
        Assert.Equal("2026-12-01T01:30Z", Times.Of(Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 1, 1, 30, 59, TimeSpan.Zero))));

    [Fact]
    public void ATimeWithAnOffsetIsPrintedInUtc() =>
        Assert.Equal("2026-11-30T23:30Z", Times.Of(new DateTimeOffset(2026, 12, 1, 1, 30, 0, TimeSpan.FromHours(2))));

    [Fact]
    public void APreciseTimeHasSeconds() =>
        Assert.Equal("2026-12-01T01:30:15Z", Times.Precise(Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 1, 1, 30, 15, 400, TimeSpan.Zero))));

    [Fact]
    public void ATimeNotSetIsADash()
    {
        Assert.Equal("-", Times.Of((Timestamp?)null));
        Assert.Equal("-", Times.Precise((Timestamp?)null));
    }
}
