using Cirt.Console.Partners;
using Cirt.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Spectre.Console.Testing;

namespace Cirt.Console.Tests.Partners;

/// <summary>How a partner reads in cirt partners show: its agreement, keys and deliveries in plain words.</summary>
public sealed class PartnerViewTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static Partner CertBund() => new()
    {
        Id = "cirt-de", Name = "CERT-Bund", Country = "DE", EndpointUrl = "https://cirt.example.de", Status = PartnerStatus.Suspended,
        SuspendReason = "Key compromise reported", Version = 4, HasOutboundKey = true,
        RegisteredAt = Timestamp.FromDateTimeOffset(Now.AddDays(-30)), RegisteredBy = "carol",
        Agreement = new SharingAgreement
        {
            MaxTlp = Tlp.Amber, Sectors = { "ENERGY", "BANKING" }, Kinds = { SharedItemKind.Advisory }, Indicators = true,
            PersonalData = PersonalDataPolicy.Pseudonymised, LegalBasis = "NIS2 Art. 10(7); MoU of 2026-03-01", RetentionDays = 180,
        },
        Keys =
        {
            new PartnerKey { Fingerprint = "aa11", AddedAt = Timestamp.FromDateTimeOffset(Now.AddDays(-30)), ValidUntil = Timestamp.FromDateTimeOffset(Now.AddDays(5)) },
            new PartnerKey { Fingerprint = "bb22", AddedAt = Timestamp.FromDateTimeOffset(Now.AddDays(-2)) },
        },
        Delivery = new DeliveryState
        {
            Queued = 7, Held = 1, Delivered = 42, Failed = 0, Circuit = CircuitState.Open, LastError = "Unavailable: connection refused",
            LastErrorAt = Timestamp.FromDateTimeOffset(Now.AddMinutes(-3)), NextAttemptAt = Timestamp.FromDateTimeOffset(Now.AddMinutes(2)),
        },
    };

    [Fact]
    public void ShowGivesTheAgreementKeysAndDeliveriesInPlainWords()
    {
        var console = new TestConsole().Width(300);

        PartnerView.Show(console, CertBund());

        var output = console.Output;
        Assert.Contains("suspended: Key compromise reported", output);
        Assert.Contains("TLP:AMBER (TLP:AMBER+STRICT only for items that name it); TLP:RED never", output);
        Assert.Contains("ENERGY, BANKING", output);
        Assert.Contains("advisories", output);
        Assert.DoesNotContain("incidents", output);
        Assert.Contains("pseudonymised", output);
        Assert.Contains("NIS2 Art. 10(7); MoU of 2026-03-01", output);
        Assert.Contains("180 days", output);
        Assert.Contains("(overlap)", output);
        Assert.Contains("current key", output);
        Assert.Contains("7 queued, 1 held for approval (cirt partners outbox --state held), 42 delivered, 0 failed", output);
        Assert.Contains("open (deliveries paused after failures)", output);
        Assert.Contains("Unavailable: connection refused", output);
        Assert.Contains("Next attempt", output);
        Assert.DoesNotContain("PersonalDataPolicy", output);
        Assert.DoesNotContain("CircuitState", output);
    }

    [Fact]
    public void ListGivesEachPartnersStatusAndCounts()
    {
        var console = new TestConsole().Width(300);

        console.Write(PartnerView.List([CertBund()]));

        Assert.Contains("cirt-de", console.Output);
        Assert.Contains("suspended", console.Output);
        Assert.Contains("TLP:AMBER", console.Output);
        Assert.Contains("42", console.Output);
    }
}
