using Cirt.Grains.Advisories;
using Cirt.Grains.Incidents;

namespace Cirt.Grains.Tests.Advisories;

/// <summary>
/// The qualitative severity rating scale, the same in CVSS v3.1 (specification, section 5) and
/// CVSS v4.0 (specification, section 6): None 0.0, Low 0.1-3.9, Medium 4.0-6.9, High 7.0-8.9,
/// Critical 9.0-10.0. Base scores have one decimal; each band is checked on both its edges.
/// </summary>
public sealed class CvssBandsTests
{
    [Theory]
    [InlineData(0.0, Severity.Unspecified)] // None: no severity
    [InlineData(0.1, Severity.Low)]
    [InlineData(3.9, Severity.Low)]
    [InlineData(4.0, Severity.Medium)]
    [InlineData(6.9, Severity.Medium)]
    [InlineData(7.0, Severity.High)]
    [InlineData(8.9, Severity.High)]
    [InlineData(9.0, Severity.Critical)]
    [InlineData(10.0, Severity.Critical)]
    public void EachBandHoldsBothItsEdges(double score, Severity band) =>
        Assert.Equal(band, CvssBands.Of(score));

    [Theory]
    [InlineData(5.3, Severity.Medium)] // e.g. a v3.1 base score
    [InlineData(9.3, Severity.Critical)] // e.g. a v4.0 base score
    [InlineData(2.1, Severity.Low)]
    [InlineData(7.5, Severity.High)]
    public void ScoresInsideABandTakeItsName(double score, Severity band) =>
        Assert.Equal(band, CvssBands.Of(score));

    [Fact]
    public void EveryOneDecimalScoreFromZeroToTenFallsInExactlyTheBandOfTheTable()
    {
        for (var tenths = 0; tenths <= 100; tenths++)
        {
            // Computed the way a score arrives: a double with one decimal, not an exact tenth.
            var score = double.Parse((tenths / 10m).ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
            var expected = tenths switch
            {
                0 => Severity.Unspecified,
                <= 39 => Severity.Low,
                <= 69 => Severity.Medium,
                <= 89 => Severity.High,
                _ => Severity.Critical,
            };
            Assert.True(expected == CvssBands.Of(score), $"{score} should be {expected}, not {CvssBands.Of(score)}");
        }
    }

    [Fact]
    public void AnAffectedCveCarriesTheBandOfItsScore()
    {
        Assert.Equal(Severity.Critical, new AffectedCve("CVE-2026-12345", 9.8).Band);
        Assert.Equal(Severity.Unspecified, new AffectedCve("CVE-2026-12346", 0.0).Band);
    }
}
