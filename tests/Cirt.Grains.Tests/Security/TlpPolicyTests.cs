using Cirt.Grains.Incidents;
using Cirt.Grains.Security;

namespace Cirt.Grains.Tests.Security;

public sealed class TlpPolicyTests
{
    [Theory]
    // TLP:CLEAR: anyone, no limit on disclosure.
    [InlineData(Tlp.Clear, Audience.Cirt, true)]
    [InlineData(Tlp.Clear, Audience.NamedRecipient, true)]
    [InlineData(Tlp.Clear, Audience.ReportingOrganisation, true)]
    [InlineData(Tlp.Clear, Audience.InvolvedOrganisation, true)]
    [InlineData(Tlp.Clear, Audience.Community, true)]
    [InlineData(Tlp.Clear, Audience.Anyone, true)]
    // TLP:GREEN: the community, not public channels.
    [InlineData(Tlp.Green, Audience.Cirt, true)]
    [InlineData(Tlp.Green, Audience.NamedRecipient, true)]
    [InlineData(Tlp.Green, Audience.ReportingOrganisation, true)]
    [InlineData(Tlp.Green, Audience.InvolvedOrganisation, true)]
    [InlineData(Tlp.Green, Audience.Community, true)]
    [InlineData(Tlp.Green, Audience.Anyone, false)]
    // TLP:AMBER: the recipient's organisation and its clients (the organisations involved).
    [InlineData(Tlp.Amber, Audience.Cirt, true)]
    [InlineData(Tlp.Amber, Audience.NamedRecipient, true)]
    [InlineData(Tlp.Amber, Audience.ReportingOrganisation, true)]
    [InlineData(Tlp.Amber, Audience.InvolvedOrganisation, true)]
    [InlineData(Tlp.Amber, Audience.Community, false)]
    [InlineData(Tlp.Amber, Audience.Anyone, false)]
    // TLP:AMBER+STRICT: the recipient's organisation only.
    [InlineData(Tlp.AmberStrict, Audience.Cirt, true)]
    [InlineData(Tlp.AmberStrict, Audience.NamedRecipient, true)]
    [InlineData(Tlp.AmberStrict, Audience.ReportingOrganisation, true)]
    [InlineData(Tlp.AmberStrict, Audience.InvolvedOrganisation, false)]
    [InlineData(Tlp.AmberStrict, Audience.Community, false)]
    [InlineData(Tlp.AmberStrict, Audience.Anyone, false)]
    // TLP:RED: the named recipients only.
    [InlineData(Tlp.Red, Audience.Cirt, true)]
    [InlineData(Tlp.Red, Audience.NamedRecipient, true)]
    [InlineData(Tlp.Red, Audience.ReportingOrganisation, false)]
    [InlineData(Tlp.Red, Audience.InvolvedOrganisation, false)]
    [InlineData(Tlp.Red, Audience.Community, false)]
    [InlineData(Tlp.Red, Audience.Anyone, false)]
    public void MayReceiveFollowsTlp20ForEveryLabelAndAudience(Tlp tlp, Audience audience, bool expected) =>
        Assert.Equal(expected, TlpPolicy.MayReceive(tlp, audience));

    [Theory]
    [InlineData(Tlp.Clear, Audience.Anyone)]
    [InlineData(Tlp.Green, Audience.Community)]
    [InlineData(Tlp.Amber, Audience.InvolvedOrganisation)]
    [InlineData(Tlp.AmberStrict, Audience.ReportingOrganisation)]
    [InlineData(Tlp.Red, Audience.NamedRecipient)]
    public void ReachIsTheFarthestAudienceALabelMayTravelTo(Tlp tlp, Audience expected) =>
        Assert.Equal(expected, TlpPolicy.Reach(tlp));

    [Fact]
    public void ReachRefusesAValueThatIsNotATlp20Label()
    {
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => TlpPolicy.Reach((Tlp)0));

        Assert.Equal("tlp", refused.ParamName);
    }

    [Fact]
    public void MayReceiveRefusesAValueThatIsNotATlp20LabelRatherThanGuessing() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TlpPolicy.MayReceive((Tlp)99, Audience.Cirt));
}
