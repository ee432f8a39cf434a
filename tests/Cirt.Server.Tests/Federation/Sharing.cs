using Cirt.Grains.Incidents;
using Cirt.Grains.Partners;
using Cirt.Server.Federation;
using Google.Protobuf.WellKnownTypes;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Tests.Federation;

/// <summary>Partners, agreements and payloads for the sharing policy's tests: this instance is cirt-fr, the partner cirt-de.</summary>
internal static class Sharing
{
    public const string Local = "cirt-fr";
    public const string PartnerId = "cirt-de";

    public static readonly byte[] PartnerKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    private static readonly DateTimeOffset At = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    public static SharingAgreement Agreement(Tlp maxTlp = Tlp.Green) => new(
        maxTlp,
        Sectors: ["energy", "health"],
        AllSectors: false,
        Kinds: [SharedItemKind.Advisory, SharedItemKind.Incident],
        Indicators: true,
        AffectedOrganisationNames: false,
        PersonalData: PersonalDataPolicy.None,
        LegalBasis: "Bilateral agreement FR-DE on incident cooperation, 2026",
        RetentionDays: 365);

    public static Partner Partner(SharingAgreement? agreement = null, string id = PartnerId) => new(
        id,
        Name: "CERT-Bund",
        Country: "DE",
        EndpointUrl: "https://cirt.example.de:5001",
        Keys: [],
        Agreement: agreement ?? Agreement(),
        Status: PartnerStatus.Active,
        Version: 1,
        RegisteredAt: At,
        RegisteredBy: "coordinator:alice",
        UpdatedAt: At,
        UpdatedBy: "coordinator:alice",
        SuspendReason: "",
        OutboundApiKey: "key-issued-by-cirt-de");

    public static EgressContext Context(bool namesPartner = false, byte[]? key = null) => new(Local, namesPartner, key ?? PartnerKey);

    public static Proto.ItemOrigin Origin(string instance = Local, params string[] route) => new()
    {
        InstanceId = instance,
        Country = instance == Local ? "FR" : "XX",
        ItemId = "ADV-2026-0007",
        ItemVersion = 3,
        Route = { route.Length == 0 ? new[] { instance } : route },
    };

    /// <summary>A clean advisory: no personal data in its free text.</summary>
    public static Proto.FederatedPayload Advisory(Proto.Tlp tlp = Proto.Tlp.Green, Proto.ItemOrigin? origin = null) => new()
    {
        Origin = origin ?? Origin(),
        Kind = Proto.SharedItemKind.Advisory,
        Action = Proto.OutboxAction.Publish,
        Advisory = new Proto.SharedAdvisory
        {
            Title = "Remote code execution in GridCtl SCADA gateways",
            Summary = "CVE-2026-12345 lets an unauthenticated attacker run code on GridCtl gateways before version 10.4.2.",
            AffectedProducts = { "GridCtl Gateway 10.x", "GridCtl Gateway 9.x" },
            Cves = { new Proto.AffectedCve { CveId = "CVE-2026-12345", CvssScore = 9.8, Severity = Proto.Severity.Critical } },
            Indicators =
            {
                new Proto.Observable { Type = Proto.ObservableType.IpAddress, Value = "203.0.113.9", Comment = "Exploitation source" },
                new Proto.Observable { Type = Proto.ObservableType.Url, Value = "http://203.0.113.9/payload.exe", Comment = "Second stage" },
            },
            RecommendedActions = { "Update to 10.4.2 or later.", "Block 203.0.113.9 at the perimeter.", "Review gateway logs since 2026-11-01." },
            Tlp = tlp,
            Sectors = { "energy" },
            AffectedOrganisations = { "GridCo SA" },
            PublishedAt = Timestamp.FromDateTimeOffset(At),
        },
    };

    /// <summary>A clean incident with five shared timeline entries.</summary>
    public static Proto.FederatedPayload Incident(Proto.Tlp tlp = Proto.Tlp.Green, Proto.ItemOrigin? origin = null) => new()
    {
        Origin = origin ?? Origin(),
        Kind = Proto.SharedItemKind.Incident,
        Action = Proto.OutboxAction.Publish,
        Incident = new Proto.SharedIncident
        {
            Title = "Ransomware at a hospital group",
            RsitClass = "malicious-code",
            RsitType = "infected-system",
            Severity = Proto.Severity.High,
            Tlp = tlp,
            Status = Proto.IncidentStatus.Responding,
            Sectors = { "health" },
            Indicators = { new Proto.Observable { Type = Proto.ObservableType.Domain, Value = "c2.badactor.example", Comment = "C2 domain" } },
            AffectedOrganisations = { "Hopital Nord" },
            Timeline =
            {
                Entry("Reported by the hospital group."),
                Entry("Triaged: malicious-code / infected-system."),
                Entry("Responding: isolation of the affected segment."),
                Entry("Backups verified."),
                Entry("Restoration under way."),
            },
            ReportedAt = Timestamp.FromDateTimeOffset(At),
        },
    };

    public static Proto.FederatedPayload Note(string text, Proto.ItemOrigin? origin = null) => new()
    {
        Origin = origin ?? Origin(),
        Kind = Proto.SharedItemKind.Incident,
        Action = Proto.OutboxAction.Note,
        Note = new Proto.SharedIncidentNote { NoteId = "note-1", Author = "analyst:bob", Text = text, At = Timestamp.FromDateTimeOffset(At) },
    };

    public static Proto.FederatedPayload Status(string reason, Proto.ItemOrigin? origin = null) => new()
    {
        Origin = origin ?? Origin(),
        Kind = Proto.SharedItemKind.Incident,
        Action = Proto.OutboxAction.Status,
        Status = new Proto.SharedIncidentStatus { Status = Proto.IncidentStatus.Resolved, Reason = reason, At = Timestamp.FromDateTimeOffset(At) },
    };

    public static Proto.FederatedPayload Withdrawal(string reason, Proto.ItemOrigin? origin = null) => new()
    {
        Origin = origin ?? Origin(),
        Kind = Proto.SharedItemKind.Advisory,
        Action = Proto.OutboxAction.Withdraw,
        Withdrawal = new Proto.SharedWithdrawal { Reason = reason, WithdrawnAt = Timestamp.FromDateTimeOffset(At) },
    };

    private static Proto.SharedTimelineEntry Entry(string text) => new() { At = Timestamp.FromDateTimeOffset(At), Text = text };
}
