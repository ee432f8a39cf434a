using Cirt.Grains.Incidents;
using Cirt.Grains.Partners;
using Cirt.Server.Federation;
using Google.Protobuf;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Tests.Federation;

/// <summary>What leaves for a partner (SharingPolicy.Decide): agreement, TLP, sectors, route, redaction.</summary>
public sealed class SharingPolicyEgressTests
{
    // ----- the agreement: default-deny, by kind of item -----

    [Fact]
    public void ASuspendedPartnerIsStillDecidedForItsMessagesWaitInTheOutbox()
    {
        var partner = Sharing.Partner() with { Status = PartnerStatus.Suspended, SuspendReason = "Key compromise under investigation" };

        Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(Sharing.Advisory(), partner, Sharing.Context()));
    }

    [Fact]
    public void AnAgreementThatNamesNoKindOfItemLetsNothingLeave()
    {
        var partner = Sharing.Partner(Sharing.Agreement() with { Kinds = [] });

        var refused = Assert.IsType<SharingDecision.Refused>(SharingPolicy.Decide(Sharing.Advisory(Proto.Tlp.Clear), partner, Sharing.Context()));

        Assert.Contains("no agreement with CERT-Bund (cirt-de)", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAdvisoryDoesNotLeaveUnderAnAgreementForIncidentsOnly()
    {
        var partner = Sharing.Partner(Sharing.Agreement() with { Kinds = [SharedItemKind.Incident] });

        var refused = Assert.IsType<SharingDecision.Refused>(SharingPolicy.Decide(Sharing.Advisory(), partner, Sharing.Context()));

        Assert.Contains("does not cover advisories", refused.Reason, StringComparison.Ordinal);
        Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(Sharing.Incident(), partner, Sharing.Context()));
    }

    [Fact]
    public void AnIncidentDoesNotLeaveUnderAnAgreementForAdvisoriesOnly()
    {
        var partner = Sharing.Partner(Sharing.Agreement() with { Kinds = [SharedItemKind.Advisory] });

        var refused = Assert.IsType<SharingDecision.Refused>(SharingPolicy.Decide(Sharing.Incident(), partner, Sharing.Context()));

        Assert.Contains("does not cover incidents", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ANoteOnAnIncidentNeedsAnAgreementThatCoversIncidents()
    {
        var partner = Sharing.Partner(Sharing.Agreement() with { Kinds = [SharedItemKind.Advisory] });

        Assert.IsType<SharingDecision.Refused>(SharingPolicy.Decide(Sharing.Note("Containment done."), partner, Sharing.Context()));
    }

    [Fact]
    public void APayloadWhoseKindContradictsItsItemIsRefused()
    {
        var incidentAsAdvisory = Sharing.Incident();
        incidentAsAdvisory.Kind = Proto.SharedItemKind.Advisory;
        var partner = Sharing.Partner(Sharing.Agreement() with { Kinds = [SharedItemKind.Advisory] });

        var refused = Assert.IsType<SharingDecision.Refused>(SharingPolicy.Decide(incidentAsAdvisory, partner, Sharing.Context()));

        Assert.StartsWith("The message is malformed", refused.Reason, StringComparison.Ordinal);
    }

    // ----- TLP 2.0: every cell -----

    /// <summary>
    /// S = sent, R = refused. Rows: the item's label; columns: the agreement's highest label
    /// (CLEAR GREEN AMBER AMBER+STRICT RED; the last two are read as AMBER).
    /// </summary>
    private static readonly (Tlp Item, bool NamesPartner, string Cells)[] TlpTable =
    [
        (Tlp.Clear, false, "S S S S S"),
        (Tlp.Clear, true, "S S S S S"),
        (Tlp.Green, false, "R S S S S"),
        (Tlp.Green, true, "R S S S S"),
        (Tlp.Amber, false, "R R S S S"),
        (Tlp.Amber, true, "R R S S S"),
        (Tlp.AmberStrict, false, "R R R R R"),
        (Tlp.AmberStrict, true, "R R S S S"),
        (Tlp.Red, false, "R R R R R"),
        (Tlp.Red, true, "R R R R R"),
    ];

    private static readonly Tlp[] AgreementColumns = [Tlp.Clear, Tlp.Green, Tlp.Amber, Tlp.AmberStrict, Tlp.Red];

    public static TheoryData<Tlp, Tlp, bool, bool> TlpCells()
    {
        var data = new TheoryData<Tlp, Tlp, bool, bool>();
        foreach (var (item, names, cells) in TlpTable)
        {
            var marks = cells.Split(' ');
            for (var c = 0; c < AgreementColumns.Length; c++)
            {
                data.Add(item, AgreementColumns[c], names, marks[c] == "S");
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TlpCells))]
    public void AnAdvisoryLeavesOnlyAsItsLabelAndTheAgreementAllow(Tlp item, Tlp agreementMax, bool namesPartner, bool leaves)
    {
        var partner = Sharing.Partner(Sharing.Agreement(agreementMax));

        var decision = SharingPolicy.Decide(Sharing.Advisory((Proto.Tlp)(int)item), partner, Sharing.Context(namesPartner));

        Assert.Equal(leaves, decision is SharingDecision.Send);
        Assert.Equal(!leaves, decision is SharingDecision.Refused);
    }

    [Theory]
    [MemberData(nameof(TlpCells))]
    public void AnIncidentLeavesOnlyAsItsLabelAndTheAgreementAllow(Tlp item, Tlp agreementMax, bool namesPartner, bool leaves)
    {
        var partner = Sharing.Partner(Sharing.Agreement(agreementMax));

        var decision = SharingPolicy.Decide(Sharing.Incident((Proto.Tlp)(int)item), partner, Sharing.Context(namesPartner));

        Assert.Equal(leaves, decision is SharingDecision.Send);
    }

    [Fact]
    public void RedIsRefusedWithItsOwnReasonEvenWithoutAnyAgreement()
    {
        var partner = Sharing.Partner(Sharing.Agreement(Tlp.Red) with { Kinds = [] });

        var refused = Assert.IsType<SharingDecision.Refused>(SharingPolicy.Decide(Sharing.Advisory(Proto.Tlp.Red), partner, Sharing.Context(namesPartner: true)));

        Assert.Contains("TLP:RED", refused.Reason, StringComparison.Ordinal);
        Assert.Contains("never leaves", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AmberAboveAGreenAgreementSaysWhatTheAgreementAllows()
    {
        var refused = Assert.IsType<SharingDecision.Refused>(SharingPolicy.Decide(Sharing.Advisory(Proto.Tlp.Amber), Sharing.Partner(), Sharing.Context()));

        Assert.Equal("It is TLP:AMBER, above what the agreement with CERT-Bund (cirt-de) allows (up to TLP:GREEN).", refused.Reason);
    }

    [Fact]
    public void AmberStrictThatDoesNotNameThePartnerSaysSo()
    {
        var partner = Sharing.Partner(Sharing.Agreement(Tlp.Amber));

        var refused = Assert.IsType<SharingDecision.Refused>(SharingPolicy.Decide(Sharing.Advisory(Proto.Tlp.AmberStrict), partner, Sharing.Context(namesPartner: false)));

        Assert.Contains("does not name CERT-Bund (cirt-de)", refused.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Proto.Tlp.Unspecified)]
    [InlineData((Proto.Tlp)99)]
    public void AnItemWithoutAKnownLabelNeverLeaves(Proto.Tlp tlp)
    {
        var partner = Sharing.Partner(Sharing.Agreement(Tlp.Amber) with { AllSectors = true });

        var refused = Assert.IsType<SharingDecision.Refused>(SharingPolicy.Decide(Sharing.Advisory(tlp), partner, Sharing.Context(namesPartner: true)));

        Assert.Contains("no TLP label", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAgreementThatNamesNoLabelLetsNoItemLeave()
    {
        var partner = Sharing.Partner(Sharing.Agreement((Tlp)0));

        Assert.IsType<SharingDecision.Refused>(SharingPolicy.Decide(Sharing.Advisory(Proto.Tlp.Clear), partner, Sharing.Context()));
    }

    [Fact]
    public void ANoteOnAnIncidentRaisedToRedSinceItWasSharedStays()
    {
        var context = Sharing.Context() with { ItemTlp = Tlp.Red };

        Assert.IsType<SharingDecision.Refused>(SharingPolicy.Decide(Sharing.Note("Containment done."), Sharing.Partner(), context));
        Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(Sharing.Note("Containment done."), Sharing.Partner(), Sharing.Context() with { ItemTlp = Tlp.Green }));
    }

    [Fact]
    public void AStatusChangeOnAnIncidentNowAboveTheAgreementStays()
    {
        var context = Sharing.Context() with { ItemTlp = Tlp.Amber };

        Assert.IsType<SharingDecision.Refused>(SharingPolicy.Decide(Sharing.Status("Resolved."), Sharing.Partner(), context));
    }

    // ----- sectors -----

    [Fact]
    public void AnItemLeavesWhenOneOfItsSectorsIsInTheAgreement()
    {
        var payload = Sharing.Advisory();
        payload.Advisory.Sectors.Clear();
        payload.Advisory.Sectors.Add(["transport", "health"]);

        Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(payload, Sharing.Partner(), Sharing.Context()));
    }

    [Fact]
    public void AnItemOfOtherSectorsStays()
    {
        var payload = Sharing.Incident();
        payload.Incident.Sectors.Clear();
        payload.Incident.Sectors.Add("transport");

        var refused = Assert.IsType<SharingDecision.Refused>(SharingPolicy.Decide(payload, Sharing.Partner(), Sharing.Context()));

        Assert.Equal("Its sectors (transport) are not among those the agreement with CERT-Bund (cirt-de) covers (energy, health).", refused.Reason);
    }

    [Fact]
    public void AnItemWithoutSectorsLeavesOnlyUnderAnAgreementForAllSectors()
    {
        var payload = Sharing.Advisory();
        payload.Advisory.Sectors.Clear();

        Assert.IsType<SharingDecision.Refused>(SharingPolicy.Decide(payload, Sharing.Partner(), Sharing.Context()));
        Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(payload, Sharing.Partner(Sharing.Agreement() with { AllSectors = true, Sectors = [] }), Sharing.Context()));
    }

    [Fact]
    public void AnAgreementForAllSectorsTakesAnySector()
    {
        var payload = Sharing.Advisory();
        payload.Advisory.Sectors.Clear();
        payload.Advisory.Sectors.Add("space");

        Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(payload, Sharing.Partner(Sharing.Agreement() with { AllSectors = true }), Sharing.Context()));
    }

    [Fact]
    public void AnAgreementWithNoSectorsAndNotAllSectorsLetsNoItemLeave()
    {
        var partner = Sharing.Partner(Sharing.Agreement() with { Sectors = [] });

        var refused = Assert.IsType<SharingDecision.Refused>(SharingPolicy.Decide(Sharing.Advisory(), partner, Sharing.Context()));

        Assert.Contains("covers no sector", refused.Reason, StringComparison.Ordinal);
    }

    // ----- route: no loops, no laundering -----

    [Fact]
    public void AnItemNeverGoesToAnInstanceOnItsRoute()
    {
        var payload = Sharing.Advisory(Proto.Tlp.Green, Sharing.Origin("cirt-be", "cirt-be", "cirt-de"));

        var refused = Assert.IsType<SharingDecision.Refused>(SharingPolicy.Decide(payload, Sharing.Partner(), Sharing.Context()));

        Assert.StartsWith("It came through cirt-de", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnItemNeverGoesBackToItsOrigin()
    {
        var payload = Sharing.Advisory(Proto.Tlp.Green, Sharing.Origin(Sharing.PartnerId));

        var refused = Assert.IsType<SharingDecision.Refused>(SharingPolicy.Decide(payload, Sharing.Partner(), Sharing.Context()));

        Assert.StartsWith("It came from cirt-de", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AWithdrawalNeverGoesBackToTheItemsOrigin()
    {
        var payload = Sharing.Withdrawal("Superseded.", Sharing.Origin(Sharing.PartnerId));

        Assert.IsType<SharingDecision.Refused>(SharingPolicy.Decide(payload, Sharing.Partner(), Sharing.Context()));
    }

    [Theory]
    [InlineData(Proto.Tlp.Clear)]
    [InlineData(Proto.Tlp.Green)]
    public void AReceivedClearOrGreenItemIsPassedOnMarkedAsReshared(Proto.Tlp tlp)
    {
        var payload = Sharing.Advisory(tlp, Sharing.Origin("cirt-be"));

        var sent = Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(payload, Sharing.Partner(), Sharing.Context()));

        Assert.True(sent.Payload.Origin.Reshared);
        Assert.Equal("cirt-be", sent.Payload.Origin.InstanceId);
        Assert.False(payload.Origin.Reshared);
    }

    [Theory]
    [InlineData(Proto.Tlp.Amber)]
    [InlineData(Proto.Tlp.AmberStrict)]
    [InlineData(Proto.Tlp.Red)]
    public void AReceivedItemAboveGreenIsNeverPassedOnWhateverTheAgreement(Proto.Tlp tlp)
    {
        var payload = Sharing.Advisory(tlp, Sharing.Origin("cirt-be"));
        var partner = Sharing.Partner(Sharing.Agreement(Tlp.Amber) with { AllSectors = true });

        var refused = Assert.IsType<SharingDecision.Refused>(SharingPolicy.Decide(payload, partner, Sharing.Context(namesPartner: true)));

        Assert.Contains("TLP:", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void OurOwnItemLeavesUnmarked()
    {
        var sent = Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(Sharing.Advisory(), Sharing.Partner(), Sharing.Context()));

        Assert.False(sent.Payload.Origin.Reshared);
    }

    [Fact]
    public void ANoteOnAPartnersIncidentGoesBackToThatPartnerUnmarked()
    {
        var origin = Sharing.Origin(Sharing.PartnerId, Sharing.PartnerId);

        var sent = Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(Sharing.Note("We see the same C2 here.", origin), Sharing.Partner(), Sharing.Context()));

        Assert.False(sent.Payload.Origin.Reshared);
        Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(Sharing.Status("Resolved on our side.", origin), Sharing.Partner(), Sharing.Context()));
    }

    [Fact]
    public void ANoteOnAPartnersAmberIncidentGoesBackToItsOriginUnderAnAmberAgreement()
    {
        var origin = Sharing.Origin(Sharing.PartnerId, Sharing.PartnerId);
        var context = Sharing.Context() with { ItemTlp = Tlp.Amber };

        Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(Sharing.Note("Same C2 here.", origin), Sharing.Partner(Sharing.Agreement(Tlp.Amber)), context));
    }

    [Fact]
    public void ANoteOnAnIncidentPassedOnByThePartnerDoesNotGoBackToIt()
    {
        // cirt-be's incident came to us through cirt-de: cirt-de is on the route but not the origin.
        var origin = Sharing.Origin("cirt-be", "cirt-be", Sharing.PartnerId);

        Assert.IsType<SharingDecision.Refused>(SharingPolicy.Decide(Sharing.Note("Same C2 here.", origin), Sharing.Partner(), Sharing.Context()));
    }

    // ----- redaction by agreement -----

    [Fact]
    public void IndicatorsLeaveOnlyWhenTheAgreementAllowsThem()
    {
        var without = Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(Sharing.Incident(), Sharing.Partner(Sharing.Agreement() with { Indicators = false }), Sharing.Context()));
        var with = Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(Sharing.Incident(), Sharing.Partner(Sharing.Agreement() with { Indicators = true }), Sharing.Context()));

        Assert.Empty(without.Payload.Incident.Indicators);
        Assert.Equal("c2.badactor.example", Assert.Single(with.Payload.Incident.Indicators).Value);
    }

    [Fact]
    public void AnAdvisorysIndicatorsAreRemovedUnlessAllowed()
    {
        var payload = Sharing.Advisory();
        payload.Advisory.RecommendedActions.Clear();
        payload.Advisory.RecommendedActions.Add("Update to 10.4.2 or later.");

        var sent = Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(payload, Sharing.Partner(Sharing.Agreement() with { Indicators = false }), Sharing.Context()));

        Assert.Empty(sent.Payload.Advisory.Indicators);
        Assert.Equal(payload.Advisory.Cves, sent.Payload.Advisory.Cves);
    }

    [Fact]
    public void NamesOfAffectedOrganisationsLeaveOnlyWhenTheAgreementAllowsThem()
    {
        var partnerWithout = Sharing.Partner(Sharing.Agreement() with { AffectedOrganisationNames = false });
        var partnerWith = Sharing.Partner(Sharing.Agreement() with { AffectedOrganisationNames = true });

        var advisoryWithout = Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(Sharing.Advisory(), partnerWithout, Sharing.Context()));
        var advisoryWith = Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(Sharing.Advisory(), partnerWith, Sharing.Context()));
        var incidentWithout = Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(Sharing.Incident(), partnerWithout, Sharing.Context()));
        var incidentWith = Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(Sharing.Incident(), partnerWith, Sharing.Context()));

        Assert.Empty(advisoryWithout.Payload.Advisory.AffectedOrganisations);
        Assert.Equal(["GridCo SA"], advisoryWith.Payload.Advisory.AffectedOrganisations);
        Assert.Empty(incidentWithout.Payload.Incident.AffectedOrganisations);
        Assert.Equal(["Hopital Nord"], incidentWith.Payload.Incident.AffectedOrganisations);
    }

    [Fact]
    public void WithoutNamesTheOrganisationsAreTakenOutOfTheTimelineAndTitleToo()
    {
        var payload = Sharing.Incident();
        payload.Incident.AffectedOrganisations.Add("gridco");
        payload.Incident.Title = "Ransomware at GridCo's control centre";
        payload.Incident.Timeline.Add(new Proto.SharedTimelineEntry { Text = "Reported by gridco: two HMIs encrypted" });
        payload.Incident.Timeline.Add(new Proto.SharedTimelineEntry { Text = "gridcom.example is not the organisation" });

        var sent = Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(payload, Sharing.Partner(Sharing.Agreement() with { AffectedOrganisationNames = false }), Sharing.Context()));
        var kept = Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(payload, Sharing.Partner(Sharing.Agreement() with { AffectedOrganisationNames = true }), Sharing.Context()));

        Assert.Empty(sent.Payload.Incident.AffectedOrganisations);
        Assert.Equal("Ransomware at [organisation]'s control centre", sent.Payload.Incident.Title);
        Assert.Equal("Reported by [organisation]: two HMIs encrypted", sent.Payload.Incident.Timeline[^2].Text);
        Assert.Equal("gridcom.example is not the organisation", sent.Payload.Incident.Timeline[^1].Text);
        Assert.Equal("Reported by gridco: two HMIs encrypted", kept.Payload.Incident.Timeline[^2].Text);
    }

    [Fact]
    public void WhatLeavesIsOtherwiseTheItemAsBuilt()
    {
        var payload = Sharing.Advisory();

        var sent = Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(payload, Sharing.Partner(Sharing.Agreement() with { AffectedOrganisationNames = true }), Sharing.Context()));

        Assert.Equal(payload, sent.Payload);
        Assert.NotSame(payload, sent.Payload);
    }

    // ----- personal data -----

    [Fact]
    public void AnEmailAddressInTheSummaryHoldsTheAdvisory()
    {
        var payload = Sharing.Advisory();
        payload.Advisory.Summary = "Reported by jan.novak@gridco.example after an outage.";

        var held = Assert.IsType<SharingDecision.Held>(SharingPolicy.Decide(payload, Sharing.Partner(), Sharing.Context()));

        var finding = Assert.Single(held.Findings);
        Assert.Equal(new Proto.PersonalDataFinding { Field = "summary", Kind = Proto.PersonalDataKind.EmailAddress, Match = "jan.novak@gridco.example", Offset = 12 }, finding);
        Assert.Equal("Reported by [redacted e-mail] after an outage.", held.Redacted.Advisory.Summary);
        Assert.Equal(payload.Advisory.Title, held.Redacted.Advisory.Title);
    }

    [Fact]
    public void APhoneNumberInARecommendedActionIsFoundByItsPlace()
    {
        var payload = Sharing.Advisory();
        payload.Advisory.RecommendedActions[2] = "Questions: call the duty officer on +49 30 1234 5678.";

        var held = Assert.IsType<SharingDecision.Held>(SharingPolicy.Decide(payload, Sharing.Partner(), Sharing.Context()));

        var finding = Assert.Single(held.Findings);
        Assert.Equal("recommended_actions[2]", finding.Field);
        Assert.Equal(Proto.PersonalDataKind.PhoneNumber, finding.Kind);
        Assert.Equal("+49 30 1234 5678", finding.Match);
        Assert.Equal(36, finding.Offset);
        Assert.Equal("Questions: call the duty officer on [redacted phone].", held.Redacted.Advisory.RecommendedActions[2]);
    }

    [Fact]
    public void PersonalDataInAnIndicatorCommentIsFoundWhenIndicatorsLeave()
    {
        var payload = Sharing.Advisory();
        payload.Advisory.Indicators[0].Comment = "Seen by admin@gridco.example";
        payload.Advisory.RecommendedActions[1] = "Block the listed addresses at the perimeter.";

        var held = Assert.IsType<SharingDecision.Held>(SharingPolicy.Decide(payload, Sharing.Partner(), Sharing.Context()));
        var sent = Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(payload, Sharing.Partner(Sharing.Agreement() with { Indicators = false }), Sharing.Context()));

        Assert.Equal("indicators[0].comment", Assert.Single(held.Findings).Field);
        Assert.Equal("Seen by [redacted e-mail]", held.Redacted.Advisory.Indicators[0].Comment);
        Assert.Empty(sent.Payload.Advisory.Indicators);
    }

    [Fact]
    public void AnUnlistedIpAddressInATimelineEntryHoldsTheIncident()
    {
        var payload = Sharing.Incident();
        payload.Incident.Timeline[4].Text = "Restoration under way; the file server 192.0.2.44 is back.";

        var held = Assert.IsType<SharingDecision.Held>(SharingPolicy.Decide(payload, Sharing.Partner(), Sharing.Context()));

        Assert.Equal(new Proto.PersonalDataFinding { Field = "timeline[4].text", Kind = Proto.PersonalDataKind.IpAddress, Match = "192.0.2.44", Offset = 39 }, Assert.Single(held.Findings));
        Assert.Equal("Restoration under way; the file server [redacted IP] is back.", held.Redacted.Incident.Timeline[4].Text);
    }

    [Fact]
    public void UnderPseudonymisedDataAVictimsAddressLeavesAsItsPseudonym()
    {
        var payload = Sharing.Incident();
        payload.Incident.Timeline[4].Text = "Restoration under way; 192.0.2.44 and 2001:db8::44 are back, 192.0.2.44 first.";
        var partner = Sharing.Partner(Sharing.Agreement() with { PersonalData = PersonalDataPolicy.Pseudonymised });

        var sent = Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(payload, partner, Sharing.Context()));

        var v4 = Pseudonyms.Of(Sharing.PartnerKey, "192.0.2.44");
        var v6 = Pseudonyms.Of(Sharing.PartnerKey, "2001:db8::44");
        Assert.Equal($"Restoration under way; {v4} and {v6} are back, {v4} first.", sent.Payload.Incident.Timeline[4].Text);
    }

    [Fact]
    public void EachPartnerGetsItsOwnPseudonymForTheSameAddress()
    {
        var payload = Sharing.Incident();
        payload.Incident.Title = "Ransomware at 192.0.2.44";
        var partner = Sharing.Partner(Sharing.Agreement() with { PersonalData = PersonalDataPolicy.Pseudonymised });
        var otherKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

        var forDe = Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(payload, partner, Sharing.Context()));
        var forDeAgain = Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(payload, partner, Sharing.Context()));
        var forBe = Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(payload, partner with { Id = "cirt-be" }, Sharing.Context(key: otherKey)));

        Assert.Equal(forDe.Payload.Incident.Title, forDeAgain.Payload.Incident.Title);
        Assert.NotEqual(forDe.Payload.Incident.Title, forBe.Payload.Incident.Title);
        Assert.DoesNotContain("192.0.2.44", forBe.Payload.Incident.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void UnderPseudonymisedDataAnEmailAddressStillHoldsTheItemAndTheRedactedVersionCarriesBoth()
    {
        var payload = Sharing.Advisory();
        payload.Advisory.Summary = "Victim 192.0.2.44 wrote from it@victim.example.";
        var partner = Sharing.Partner(Sharing.Agreement() with { PersonalData = PersonalDataPolicy.Pseudonymised });

        var held = Assert.IsType<SharingDecision.Held>(SharingPolicy.Decide(payload, partner, Sharing.Context()));

        Assert.Equal(Proto.PersonalDataKind.EmailAddress, Assert.Single(held.Findings).Kind);
        Assert.Equal($"Victim {Pseudonyms.Of(Sharing.PartnerKey, "192.0.2.44")} wrote from [redacted e-mail].", held.Redacted.Advisory.Summary);
    }

    [Fact]
    public void AnAddressListedAsAnIndicatorLeavesAsWritten()
    {
        var sent = Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(Sharing.Advisory(), Sharing.Partner(), Sharing.Context()));

        Assert.Equal("Block 203.0.113.9 at the perimeter.", sent.Payload.Advisory.RecommendedActions[1]);
    }

    [Fact]
    public void AnAddressListedAsAnIndicatorThatDoesNotLeaveIsPersonalData()
    {
        // The agreement keeps indicators home: the text would carry the address alone, unexplained.
        var held = Assert.IsType<SharingDecision.Held>(SharingPolicy.Decide(Sharing.Advisory(), Sharing.Partner(Sharing.Agreement() with { Indicators = false }), Sharing.Context()));

        var finding = Assert.Single(held.Findings);
        Assert.Equal("recommended_actions[1]", finding.Field);
        Assert.Equal("203.0.113.9", finding.Match);
    }

    [Fact]
    public void AllFindingsAreListedInFieldOrderWithOffsetsInTheTextAsWritten()
    {
        var payload = Sharing.Advisory();
        payload.Advisory.Title = "Outage reported by ops@gridco.example";
        payload.Advisory.Summary = "Call 030 1234567 or +33 1 23 45 67 89; host 192.0.2.8.";

        var held = Assert.IsType<SharingDecision.Held>(SharingPolicy.Decide(payload, Sharing.Partner(), Sharing.Context()));

        Assert.Equal(
            [("title", "ops@gridco.example", 19), ("summary", "030 1234567", 5), ("summary", "+33 1 23 45 67 89", 20), ("summary", "192.0.2.8", 44)],
            held.Findings.Select(f => (f.Field, f.Match, f.Offset)));
        Assert.Equal("Call [redacted phone] or [redacted phone]; host [redacted IP].", held.Redacted.Advisory.Summary);
    }

    [Fact]
    public void TheHeldVersionHasTheAgreementsRedactionsToo()
    {
        var payload = Sharing.Incident();
        payload.Incident.Title = "Ransomware, contact soc@hopital.example";

        var held = Assert.IsType<SharingDecision.Held>(SharingPolicy.Decide(payload, Sharing.Partner(Sharing.Agreement() with { Indicators = false }), Sharing.Context()));

        Assert.Empty(held.Redacted.Incident.Indicators);
        Assert.Empty(held.Redacted.Incident.AffectedOrganisations);
        Assert.Equal("Ransomware, contact [redacted e-mail]", held.Redacted.Incident.Title);
    }

    [Fact]
    public void ApprovingTheRedactedVersionSendsItAsItIs()
    {
        var payload = Sharing.Advisory();
        payload.Advisory.Summary = "Victim 192.0.2.44, contact it@victim.example, +44 20 7946 0958.";
        var partner = Sharing.Partner(Sharing.Agreement() with { PersonalData = PersonalDataPolicy.Pseudonymised });

        var held = Assert.IsType<SharingDecision.Held>(SharingPolicy.Decide(payload, partner, Sharing.Context()));
        var again = Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(held.Redacted, partner, Sharing.Context()));

        Assert.Equal(held.Redacted, again.Payload);
    }

    [Fact]
    public void ANotesTextIsScanned()
    {
        var held = Assert.IsType<SharingDecision.Held>(SharingPolicy.Decide(Sharing.Note("Spoke to the admin, 0171 2345678."), Sharing.Partner(), Sharing.Context()));

        Assert.Equal(("text", Proto.PersonalDataKind.PhoneNumber), (Assert.Single(held.Findings).Field, held.Findings[0].Kind));
        Assert.Equal("Spoke to the admin, [redacted phone].", held.Redacted.Note.Text);
    }

    [Fact]
    public void AWithdrawalsReasonIsScanned()
    {
        var held = Assert.IsType<SharingDecision.Held>(SharingPolicy.Decide(Sharing.Withdrawal("Wrong: ask it@gridco.example."), Sharing.Partner(), Sharing.Context()));

        Assert.Equal("reason", Assert.Single(held.Findings).Field);
        Assert.Equal("Wrong: ask [redacted e-mail].", held.Redacted.Withdrawal.Reason);
    }

    [Fact]
    public void AStatusChangesReasonIsScanned()
    {
        var held = Assert.IsType<SharingDecision.Held>(SharingPolicy.Decide(Sharing.Status("Resolved: 2001:db8::44 restored."), Sharing.Partner(), Sharing.Context()));

        Assert.Equal(("reason", "2001:db8::44"), (Assert.Single(held.Findings).Field, held.Findings[0].Match));
    }

    [Fact]
    public void TheInputPayloadIsNeverModifiedWhenSent()
    {
        // Passed on (marked re-shared), indicators taken out, an address pseudonymised: all in the copy.
        var payload = Sharing.Advisory(Proto.Tlp.Green, Sharing.Origin("cirt-be"));
        payload.Advisory.Summary = "Victim 192.0.2.44 is patched.";
        var before = payload.ToByteArray();
        var partner = Sharing.Partner(Sharing.Agreement() with { Indicators = false, PersonalData = PersonalDataPolicy.Pseudonymised });

        var sent = Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(payload, partner, Sharing.Context()));

        Assert.True(sent.Payload.Origin.Reshared);
        Assert.Empty(sent.Payload.Advisory.Indicators);
        Assert.StartsWith("Victim ip-pseudonym:", sent.Payload.Advisory.Summary, StringComparison.Ordinal);
        Assert.Equal(before, payload.ToByteArray());
    }

    [Fact]
    public void TheInputPayloadIsNeverModifiedWhenHeld()
    {
        var payload = Sharing.Advisory(Proto.Tlp.Green, Sharing.Origin("cirt-be"));
        payload.Advisory.Summary = "Victim 192.0.2.44, contact it@victim.example.";
        var before = payload.ToByteArray();

        Assert.IsType<SharingDecision.Held>(SharingPolicy.Decide(payload, Sharing.Partner(Sharing.Agreement() with { Indicators = false }), Sharing.Context()));

        Assert.Equal(before, payload.ToByteArray());
    }

    [Fact]
    public void PseudonymisingWithAKeyTooShortToResistGuessingIsAProgrammingError()
    {
        var payload = Sharing.Advisory();
        var partner = Sharing.Partner(Sharing.Agreement() with { PersonalData = PersonalDataPolicy.Pseudonymised });

        Assert.Throws<ArgumentException>(() => SharingPolicy.Decide(payload, partner, Sharing.Context(key: new byte[8])));
        Assert.Throws<ArgumentException>(() => SharingPolicy.Decide(payload, partner, new EgressContext(Sharing.Local, false, null!)));
        Assert.IsType<SharingDecision.Send>(SharingPolicy.Decide(payload, Sharing.Partner(), Sharing.Context(key: [])));
    }
}
