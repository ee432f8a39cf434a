using System.Security.Cryptography;
using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Partners;

namespace Cirt.Grains.Tests.Partners;

public sealed class PartnerRulesTests
{
    private static readonly DateTimeOffset Registered = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = Registered.AddDays(3);

    public static SharingAgreement Agreement(Tlp maxTlp = Tlp.Green) =>
        new(maxTlp, [], true, [SharedItemKind.Advisory], true, false, PersonalDataPolicy.None, "Bilateral MoU of 2026-03-01, art. 4", 365);

    public static string NewKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportSubjectPublicKeyInfoPem();
    }

    private static PartnerRegistration Registration(string? key = null, SharingAgreement? agreement = null) =>
        new("CERT Example", "DE", "https://cirt.example.de:5080", key ?? NewKeyPem(), "cirt_0123456789abcdef_secret", agreement ?? Agreement());

    private static Partner ARegisteredPartner() => PartnerRules.Register("cirt-de", Registration(), Registered, "carol");

    private static string Field(Action act) => Assert.Throws<CirtException>(act) is { Kind: CirtErrorKind.InvalidArgument } refused
        ? refused.Field!
        : throw new Xunit.Sdk.XunitException("expected INVALID_ARGUMENT");

    [Fact]
    public void ARegisteredPartnerIsActiveAtVersionOneWithItsKeyNewest()
    {
        var pem = NewKeyPem();
        var partner = PartnerRules.Register("cirt-de", Registration(pem), Registered, "carol");

        Assert.Equal((PartnerStatus.Active, 1L, "carol", Registered), (partner.Status, partner.Version, partner.RegisteredBy, partner.RegisteredAt));
        var key = Assert.Single(partner.Keys);
        Assert.Null(key.ValidUntil);
        Assert.Equal(PartnerKeys.Fingerprint(pem), key.Fingerprint);
        Assert.Equal(64, key.Fingerprint.Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("CIRT-DE")]
    [InlineData("cirt de")]
    [InlineData("cirt-de\n")]
    public void AnIdThatIsNotAnInstanceIdIsRefused(string id) =>
        Assert.Equal("id", Field(() => PartnerRules.Register(id, Registration(), Registered, "carol")));

    [Theory]
    [InlineData("name", "", "DE", "https://cirt.example.de")]
    [InlineData("country", "CERT", "de", "https://cirt.example.de")]
    [InlineData("country", "CERT", "DEU", "https://cirt.example.de")]
    [InlineData("endpoint_url", "CERT", "DE", "ftp://cirt.example.de")]
    [InlineData("endpoint_url", "CERT", "DE", "cirt.example.de")]
    [InlineData("endpoint_url", "CERT", "DE", "https://user:pw@cirt.example.de")]
    public void EachBadFieldOfARegistrationIsNamed(string field, string name, string country, string endpoint) =>
        Assert.Equal(field, Field(() => PartnerRules.Register("cirt-de", Registration() with { Name = name, Country = country, EndpointUrl = endpoint }, Registered, "carol")));

    [Fact]
    public void TheKeyToCallThePartnerWithMayComeLaterAndIsSetWithItsEndpoint()
    {
        Assert.Equal("outbound_api_key", Field(() => PartnerRules.Register("cirt-de", Registration() with { OutboundApiKey = "has space" }, Registered, "carol")));
        var waiting = PartnerRules.Register("cirt-de", Registration() with { OutboundApiKey = "" }, Registered, "carol");

        var set = PartnerRules.UpdateEndpoint(waiting, "https://cirt.example.de:6000", "cirt_key_from_de", 1, Later, "dave");
        var moved = PartnerRules.UpdateEndpoint(set, "https://cirt2.example.de", "", 0, Later, "dave");

        Assert.Equal(("https://cirt.example.de:6000", "cirt_key_from_de", 2L), (set.EndpointUrl, set.OutboundApiKey, set.Version));
        Assert.Equal(("https://cirt2.example.de", "cirt_key_from_de", 3L), (moved.EndpointUrl, moved.OutboundApiKey, moved.Version));
        Assert.Same(moved, PartnerRules.UpdateEndpoint(moved, "https://cirt2.example.de", "cirt_key_from_de", 0, Later, "dave"));
        Assert.Equal(CirtErrorKind.Conflict, Assert.Throws<CirtException>(() => PartnerRules.UpdateEndpoint(moved, "", "", 1, Later, "dave")).Kind);
        Assert.Equal("endpoint_url", Field(() => PartnerRules.UpdateEndpoint(moved, "gopher://x", "", 0, Later, "dave")));
    }

    [Fact]
    public void OnlyAnEcdsaP256PublicKeyIsAccepted()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);

        foreach (var pem in new[] { "", "not a key", p384.ExportSubjectPublicKeyInfoPem(), rsa.ExportSubjectPublicKeyInfoPem(), p256.ExportPkcs8PrivateKeyPem(),
                     p256.ExportSubjectPublicKeyInfoPem() + "\n" + p256.ExportSubjectPublicKeyInfoPem() })
        {
            Assert.Equal("public_key", Field(() => PartnerRules.Register("cirt-de", Registration(pem), Registered, "carol")));
        }
    }

    [Theory]
    [InlineData(Tlp.AmberStrict, "agreement.max_tlp")]
    [InlineData(Tlp.Red, "agreement.max_tlp")]
    [InlineData((Tlp)0, "agreement.max_tlp")]
    public void AnAgreementAboveAmberIsRefused(Tlp tlp, string field) =>
        Assert.Equal(field, Field(() => PartnerRules.Register("cirt-de", Registration(agreement: Agreement(tlp)), Registered, "carol")));

    [Fact]
    public void AnAgreementNeedsALegalBasisARetentionAndConsistentLists()
    {
        var agreement = Agreement();
        var cases = new (SharingAgreement Agreement, string Field)[]
        {
            (agreement with { LegalBasis = " " }, "agreement.legal_basis"),
            (agreement with { LegalBasis = new string('x', 2_001) }, "agreement.legal_basis"),
            (agreement with { RetentionDays = 0 }, "agreement.retention_days"),
            (agreement with { RetentionDays = 3_651 }, "agreement.retention_days"),
            (agreement with { Sectors = ["ENERGY"] }, "agreement.sectors"),
            (agreement with { AllSectors = false, Sectors = ["ENERGY", "ENERGY"] }, "agreement.sectors"),
            (agreement with { Kinds = [SharedItemKind.Advisory, SharedItemKind.Advisory] }, "agreement.kinds"),
            (agreement with { Kinds = [(SharedItemKind)9] }, "agreement.kinds[0]"),
            (agreement with { PersonalData = (PersonalDataPolicy)0 }, "agreement.personal_data"),
        };

        foreach (var (bad, field) in cases)
        {
            Assert.Equal(field, Field(() => PartnerRules.Register("cirt-de", Registration(agreement: bad), Registered, "carol")));
        }

        Assert.Equal(3_650, PartnerRules.Register("cirt-de", Registration(agreement: agreement with { RetentionDays = 3_650 }), Registered, "carol").Agreement.RetentionDays);
    }

    [Fact]
    public void AnAgreementWithoutKindsIsValidAndAllowsNothing()
    {
        var partner = PartnerRules.Register("cirt-de", Registration(agreement: Agreement() with { Kinds = [], AllSectors = false }), Registered, "carol");

        Assert.Empty(partner.Agreement.Kinds);
        Assert.Empty(partner.Agreement.Sectors);
    }

    [Fact]
    public void UpdatingTheAgreementNeedsTheVersionAskedFor()
    {
        var partner = ARegisteredPartner();

        var conflict = Assert.Throws<CirtException>(() => PartnerRules.UpdateAgreement(partner, Agreement(Tlp.Amber), 7, Later, "dave"));
        var updated = PartnerRules.UpdateAgreement(partner, Agreement(Tlp.Amber), 1, Later, "dave");

        Assert.Equal(CirtErrorKind.Conflict, conflict.Kind);
        Assert.Equal((Tlp.Amber, 2L, "dave", Later), (updated.Agreement.MaxTlp, updated.Version, updated.UpdatedBy, updated.UpdatedAt));
    }

    [Fact]
    public void ANewKeyLetsTheOldOnesVerifyForTheOverlapOnly()
    {
        var partner = ARegisteredPartner();
        var newer = NewKeyPem();

        var rotated = PartnerRules.AddKey(partner, newer, TimeSpan.FromDays(7), Later, "dave");

        Assert.Equal(2, rotated.Keys.Length);
        Assert.Equal(Later.AddDays(7), rotated.Keys[0].ValidUntil);
        Assert.True(rotated.Keys[0].IsValidAt(Later.AddDays(7)));
        Assert.False(rotated.Keys[0].IsValidAt(Later.AddDays(7).AddTicks(1)));
        Assert.Equal((PartnerKeys.Fingerprint(newer), (DateTimeOffset?)null), (rotated.Keys[1].Fingerprint, rotated.Keys[1].ValidUntil));

        var again = PartnerRules.AddKey(rotated, NewKeyPem(), TimeSpan.FromDays(30), Later.AddDays(1), "dave");

        Assert.Equal(Later.AddDays(7), again.Keys[0].ValidUntil);
        Assert.Equal(Later.AddDays(31), again.Keys[1].ValidUntil);
    }

    [Fact]
    public void AKeyAddedTwiceOrWithTooLongAnOverlapIsRefused()
    {
        var partner = ARegisteredPartner();

        Assert.Equal(CirtErrorKind.AlreadyExists, Assert.Throws<CirtException>(() => PartnerRules.AddKey(partner, partner.Keys[0].PublicKeyPem, TimeSpan.Zero, Later, "dave")).Kind);
        Assert.Equal("overlap_days", Field(() => PartnerRules.AddKey(partner, NewKeyPem(), TimeSpan.FromDays(31), Later, "dave")));
        Assert.Equal("overlap_days", Field(() => PartnerRules.AddKey(partner, NewKeyPem(), TimeSpan.FromDays(-1), Later, "dave")));
    }

    [Fact]
    public void KeysWhoseOverlapEndedMakeRoomForNewOnes()
    {
        var partner = ARegisteredPartner();
        for (var i = 0; i < 15; i++)
        {
            partner = PartnerRules.AddKey(partner, NewKeyPem(), TimeSpan.Zero, Later.AddDays(i), "dave");
        }

        Assert.Equal(PartnerRules.MaxKeys, partner.Keys.Length);
        Assert.Single(partner.Keys, k => k.IsValidAt(Later.AddDays(15)));
    }

    [Fact]
    public void SuspendingNeedsAReasonAndResumingClearsIt()
    {
        var partner = ARegisteredPartner();

        Assert.Equal("reason", Field(() => PartnerRules.Suspend(partner, "", Later, "dave")));
        var suspended = PartnerRules.Suspend(partner, "Key compromise reported by their CISO", Later, "dave");
        var resumed = PartnerRules.Resume(suspended, Later.AddHours(1), "erin");

        Assert.Equal((PartnerStatus.Suspended, "Key compromise reported by their CISO", 2L), (suspended.Status, suspended.SuspendReason, suspended.Version));
        Assert.Same(suspended, PartnerRules.Suspend(suspended, "again", Later, "dave"));
        Assert.Equal((PartnerStatus.Active, "", 3L, "erin"), (resumed.Status, resumed.SuspendReason, resumed.Version, resumed.UpdatedBy));
        Assert.Same(resumed, PartnerRules.Resume(resumed, Later, "erin"));
    }
}
