using Cirt.Contracts.V1;
using Google.Protobuf.WellKnownTypes;

namespace Cirt.Server.Tests.Stix;

/// <summary>Shared advisories and incidents as the wire gives them, for the writer and reader tests.</summary>
public static class StixPayloads
{
    public static readonly DateTimeOffset Created = new(2026, 3, 1, 9, 30, 0, 123, TimeSpan.Zero);
    public static readonly DateTimeOffset Modified = new DateTimeOffset(2026, 3, 2, 14, 0, 5, 678, TimeSpan.Zero).AddTicks(4321);

    /// <summary>Every kind of indicator, in the canonical form the domain keeps them in, one with a quote to escape in its pattern.</summary>
    public static Observable[] Indicators() =>
    [
        new() { Type = ObservableType.IpAddress, Value = "198.51.100.23", Comment = "C2 server seen in proxy logs" },
        new() { Type = ObservableType.IpAddress, Value = "2001:db8::23" },
        new() { Type = ObservableType.IpPrefix, Value = "203.0.113.0/24" },
        new() { Type = ObservableType.IpPrefix, Value = "2001:db8:1::/48" },
        new() { Type = ObservableType.Domain, Value = "update.example-vpn.test" },
        new() { Type = ObservableType.Url, Value = "https://files.example.test/o'brien/payload.bin" },
        new() { Type = ObservableType.Email, Value = "billing@phish.example.test" },
        new() { Type = ObservableType.FileHash, Value = "44d88612fea8a8f36de82e1278abb02f" },
        new() { Type = ObservableType.FileHash, Value = "3395856ce81f2b7382dee72602f798b642f14140" },
        new() { Type = ObservableType.FileHash, Value = "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f" },
        new() { Type = ObservableType.Asn, Value = "AS64500" },
    ];

    public static SharedAdvisory Advisory(Tlp tlp = Tlp.Amber)
    {
        var advisory = new SharedAdvisory
        {
            Title = "Critical flaw in ExampleVPN gateways exploited",
            Summary = "Attackers exploit CVE-2026-1001 in ExampleVPN gateways to run code as root.\nPatch now; hunt for the indicators below.",
            Tlp = tlp,
            PublishedAt = Timestamp.FromDateTimeOffset(Modified),
            AffectedProducts = { "ExampleVPN Gateway 9.1", "ExampleVPN Gateway 9.2" },
            Cves =
            {
                new AffectedCve { CveId = "CVE-2026-1001", CvssScore = 9.8, Severity = Severity.Critical },
                new AffectedCve { CveId = "CVE-2026-1002", CvssScore = 6.5, Severity = Severity.Medium },
            },
            RecommendedActions = { "Install ExampleVPN 9.2.4 or later.", "Reset every credential stored on the gateway." },
            Sectors = { "ENERGY" },
        };
        advisory.Indicators.AddRange(Indicators());
        return advisory;
    }

    public static FederatedPayload Payload(SharedAdvisory advisory, string instance = "cirt-fr", string itemId = "ADV-2026-0007", long version = 3) => new()
    {
        Origin = new ItemOrigin { InstanceId = instance, Country = "FR", ItemId = itemId, ItemVersion = version, Route = { instance } },
        Kind = SharedItemKind.Advisory,
        Action = OutboxAction.Publish,
        Advisory = advisory,
    };

    public static FederatedPayload Payload(SharedIncident incident) => new()
    {
        Origin = new ItemOrigin { InstanceId = "cirt-fr", Country = "FR", ItemId = "CIRT-2026-000042", ItemVersion = 7, Route = { "cirt-fr" } },
        Kind = SharedItemKind.Incident,
        Action = OutboxAction.Publish,
        Incident = incident,
    };

    public static SharedIncident Incident(IncidentStatus status = IncidentStatus.Responding, Severity severity = Severity.High) => new()
    {
        Title = "Ransomware on SCADA HMI",
        RsitClass = "malicious-code",
        RsitType = "infected-system",
        Severity = severity,
        Tlp = Tlp.Green,
        Status = status,
        Sectors = { "ENERGY" },
        Indicators =
        {
            new Observable { Type = ObservableType.IpAddress, Value = "203.0.113.7", Comment = "ransomware C2" },
            new Observable { Type = ObservableType.Domain, Value = "pay.ransom.example.test" },
        },
        AffectedOrganisations = { "gridco" },
        ReportedAt = Timestamp.FromDateTimeOffset(Created),
        Timeline =
        {
            new SharedTimelineEntry { At = Timestamp.FromDateTimeOffset(Created), Text = "Reported by the operator" },
            new SharedTimelineEntry { At = Timestamp.FromDateTimeOffset(Modified), Text = "Two HMIs isolated; restoring from backup" },
        },
    };
}
