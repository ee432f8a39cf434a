using Cirt.Grains.Common;
using Cirt.Grains.Security;

namespace Cirt.Grains.Tests.Security;

/// <summary>Which revocations would leave the service without an active coordinator key.</summary>
public sealed class LastCoordinatorRuleTests
{
    private static readonly DateTimeOffset Issued = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private static ApiKeyInfo Key(string keyId, Role role, bool revoked = false) =>
        new(new Principal(keyId, keyId, role, role == Role.Operator ? "gridco" : "", ""), Issued, "system", revoked ? Issued.AddHours(1) : null, revoked ? "carol" : "");

    [Fact]
    public void TheOnlyActiveCoordinatorKeyIsRefusedEvenBesideRevokedCoordinatorsAndOtherRoles()
    {
        ApiKeyInfo[] keys = [Key("a", Role.Coordinator), Key("b", Role.Coordinator, revoked: true), Key("c", Role.Analyst), Key("d", Role.Operator)];

        var refused = Assert.Throws<CirtException>(() => LastCoordinatorRule.EnsureRevocable(keys, "a"));

        Assert.Equal(CirtErrorKind.FailedPrecondition, refused.Kind);
        Assert.Contains("last active coordinator key", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a")] // another active coordinator remains
    [InlineData("c")] // not a coordinator
    [InlineData("b")] // already revoked: revoking again changes nothing
    [InlineData("z")] // not listed
    public void OtherRevocationsAreAllowed(string keyId)
    {
        ApiKeyInfo[] keys = [Key("a", Role.Coordinator), Key("b", Role.Coordinator, revoked: true), Key("c", Role.Analyst), Key("e", Role.Coordinator)];

        LastCoordinatorRule.EnsureRevocable(keys, keyId);
    }
}
