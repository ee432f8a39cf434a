using Cirt.Grains.Incidents;
using Cirt.Server.Federation;

namespace Cirt.Server.Tests.Federation;

/// <summary>Which received items our coordinators may re-publish to our own constituency, by their origin's label.</summary>
public sealed class SharingPolicyRepublishTests
{
    [Theory]
    [InlineData(Tlp.Clear)]
    [InlineData(Tlp.Green)]
    [InlineData(Tlp.Amber)]
    public void ClearGreenAndAmberMayReachOurConstituency(Tlp tlp)
    {
        Assert.Null(SharingPolicy.RefusalToRepublish(tlp));
    }

    [Fact]
    public void AmberStrictStaysWithThisCirt()
    {
        Assert.Equal("It is TLP:AMBER+STRICT: for this CIRT only, not for its constituency.", SharingPolicy.RefusalToRepublish(Tlp.AmberStrict));
    }

    [Fact]
    public void RedStaysWithItsNamedRecipients()
    {
        Assert.Equal("It is TLP:RED: for its named recipients only.", SharingPolicy.RefusalToRepublish(Tlp.Red));
    }

    [Fact]
    public void AnUnknownLabelIsNotRepublished()
    {
        Assert.NotNull(SharingPolicy.RefusalToRepublish((Tlp)0));
    }
}
