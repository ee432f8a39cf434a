using Cirt.Grains.Incidents;
using Cirt.Grains.Partners;
using Cirt.Server.Federation;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Tests.Federation;

/// <summary>
/// What we accept from a partner (SharingPolicy.RefusalOnReceipt), under our own record of the
/// agreement with it. Here cirt-de sends to us, cirt-fr.
/// </summary>
public sealed class SharingPolicyReceiptTests
{
    private static Proto.ItemOrigin FromSender() => Sharing.Origin(Sharing.PartnerId);

    private static string? Receive(Proto.FederatedPayload payload, Partner? sender = null) =>
        SharingPolicy.RefusalOnReceipt(payload, sender ?? Sharing.Partner(), Sharing.Local);

    [Fact]
    public void AGreenAdvisoryFromAPartnerUnderAGreenAgreementIsAccepted()
    {
        Assert.Null(Receive(Sharing.Advisory(Proto.Tlp.Green, FromSender())));
        Assert.Null(Receive(Sharing.Incident(Proto.Tlp.Clear, FromSender())));
    }

    [Fact]
    public void NothingIsAcceptedFromASuspendedPartner()
    {
        var sender = Sharing.Partner() with { Status = PartnerStatus.Suspended };

        var reason = Receive(Sharing.Advisory(Proto.Tlp.Clear, FromSender()), sender);

        Assert.Equal("CERT-Bund (cirt-de) is suspended: nothing is accepted from it until a coordinator resumes the exchange.", reason);
    }

    [Fact]
    public void RedIsRefusedEvenUnderAnAmberAgreement()
    {
        var reason = Receive(Sharing.Advisory(Proto.Tlp.Red, FromSender()), Sharing.Partner(Sharing.Agreement(Tlp.Amber)));

        Assert.Contains("TLP:RED", reason, StringComparison.Ordinal);
    }

    /// <summary>Accepted (A) or refused (R), by the item's label and our agreement's highest label.</summary>
    [Theory]
    [InlineData(Tlp.Clear, Tlp.Clear, true)]
    [InlineData(Tlp.Green, Tlp.Clear, false)]
    [InlineData(Tlp.Green, Tlp.Green, true)]
    [InlineData(Tlp.Amber, Tlp.Green, false)]
    [InlineData(Tlp.Amber, Tlp.Amber, true)]
    [InlineData(Tlp.AmberStrict, Tlp.Clear, false)]
    [InlineData(Tlp.AmberStrict, Tlp.Green, false)]
    [InlineData(Tlp.AmberStrict, Tlp.Amber, true)]
    [InlineData(Tlp.AmberStrict, Tlp.AmberStrict, true)]
    [InlineData(Tlp.AmberStrict, Tlp.Red, true)]
    [InlineData(Tlp.Amber, Tlp.Red, true)]
    [InlineData(Tlp.Red, Tlp.Red, false)]
    public void AnItemIsAcceptedUpToTheLabelOurAgreementRecords(Tlp item, Tlp agreementMax, bool accepted)
    {
        var reason = Receive(Sharing.Incident((Proto.Tlp)(int)item, FromSender()), Sharing.Partner(Sharing.Agreement(agreementMax)));

        Assert.Equal(accepted, reason is null);
    }

    [Fact]
    public void AboveTheAgreementSaysWhatItAccepts()
    {
        Assert.Equal(
            "It is TLP:AMBER, above what our agreement with CERT-Bund (cirt-de) accepts (up to TLP:GREEN).",
            Receive(Sharing.Advisory(Proto.Tlp.Amber, FromSender())));
    }

    [Theory]
    [InlineData(Proto.Tlp.Unspecified)]
    [InlineData((Proto.Tlp)42)]
    public void AnItemWithoutAKnownLabelIsRefused(Proto.Tlp tlp)
    {
        Assert.Contains("no TLP label", Receive(Sharing.Advisory(tlp, FromSender())), StringComparison.Ordinal);
    }

    [Fact]
    public void AKindOurAgreementDoesNotCoverIsRefused()
    {
        var sender = Sharing.Partner(Sharing.Agreement() with { Kinds = [SharedItemKind.Advisory] });

        Assert.Equal("Our agreement with CERT-Bund (cirt-de) does not cover incidents.", Receive(Sharing.Incident(Proto.Tlp.Green, FromSender()), sender));
        Assert.NotNull(Receive(Sharing.Note("Same C2 here.", FromSender()), sender));
    }

    [Fact]
    public void AnAgreementThatNamesNoKindAcceptsNothing()
    {
        var sender = Sharing.Partner(Sharing.Agreement() with { Kinds = [] });

        Assert.Contains("allows nothing", Receive(Sharing.Advisory(Proto.Tlp.Clear, FromSender()), sender), StringComparison.Ordinal);
    }

    [Fact]
    public void AnIncidentLabelledAsAnAdvisoryDoesNotSlipPastAnAdvisoriesOnlyAgreement()
    {
        var payload = Sharing.Incident(Proto.Tlp.Green, FromSender());
        payload.Kind = Proto.SharedItemKind.Advisory;
        var sender = Sharing.Partner(Sharing.Agreement() with { Kinds = [SharedItemKind.Advisory] });

        Assert.StartsWith("The message is malformed", Receive(payload, sender), StringComparison.Ordinal);
    }

    [Fact]
    public void AMessageWithoutItemOrOriginIsRefused()
    {
        var noItem = Sharing.Advisory(Proto.Tlp.Green, FromSender());
        noItem.ClearItem();
        var noOrigin = Sharing.Advisory(Proto.Tlp.Green, FromSender());
        noOrigin.Origin = null;

        Assert.NotNull(Receive(noItem));
        Assert.NotNull(Receive(noOrigin));
    }

    [Fact]
    public void OurOwnAdvisoryComingBackIsALoop()
    {
        var reason = Receive(Sharing.Advisory(Proto.Tlp.Green, Sharing.Origin(Sharing.Local, Sharing.Local, Sharing.PartnerId)));

        Assert.StartsWith("A loop: it came from us", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AWithdrawalOfOurOwnAdvisoryFromAPartnerIsALoop()
    {
        var reason = Receive(Sharing.Withdrawal("Recalled.", Sharing.Origin(Sharing.Local, Sharing.Local, Sharing.PartnerId)));

        Assert.StartsWith("A loop: it came from us", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnItemThatAlreadyPassedThroughUsIsALoop()
    {
        var origin = Sharing.Origin("cirt-be", "cirt-be", Sharing.Local, Sharing.PartnerId);
        origin.Reshared = true;

        var reason = Receive(Sharing.Advisory(Proto.Tlp.Green, origin));

        Assert.Equal("A loop: it already passed through this instance (route cirt-be → cirt-fr → cirt-de).", reason);
    }

    [Fact]
    public void NotesAndStatusChangesOnOurOwnIncidentComeBackFromThePartner()
    {
        var origin = Sharing.Origin(Sharing.Local, Sharing.Local, Sharing.PartnerId);

        Assert.Null(Receive(Sharing.Note("We see the same C2 here.", origin)));
        Assert.Null(Receive(Sharing.Status("Resolved on our side.", origin)));
    }

    [Fact]
    public void NotesOnThePartnersOwnIncidentAreAccepted()
    {
        Assert.Null(Receive(Sharing.Note("Containment done.", FromSender())));
    }

    [Fact]
    public void AGreenItemPassedOnByThePartnerIsAccepted()
    {
        var origin = Sharing.Origin("cirt-be", "cirt-be", Sharing.PartnerId);
        origin.Reshared = true;

        Assert.Null(Receive(Sharing.Advisory(Proto.Tlp.Green, origin)));
    }

    [Fact]
    public void AnAmberItemPassedOnByThePartnerIsLaunderingAndRefused()
    {
        var origin = Sharing.Origin("cirt-be", "cirt-be", Sharing.PartnerId);
        origin.Reshared = true;

        var reason = Receive(Sharing.Advisory(Proto.Tlp.Amber, origin), Sharing.Partner(Sharing.Agreement(Tlp.Amber)));

        Assert.Equal("It is TLP:AMBER from cirt-be, passed on by cirt-de: only TLP:CLEAR and TLP:GREEN may be passed on.", reason);
    }

    [Fact]
    public void AnItemOfAnotherOriginNotMarkedAsPassedOnIsRefused()
    {
        var reason = Receive(Sharing.Advisory(Proto.Tlp.Green, Sharing.Origin("cirt-be", "cirt-be", Sharing.PartnerId)));

        Assert.Contains("without being marked as passed on", reason, StringComparison.Ordinal);
    }
}
