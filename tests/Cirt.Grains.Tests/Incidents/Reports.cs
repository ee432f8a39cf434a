using Cirt.Grains.Incidents;

namespace Cirt.Grains.Tests.Incidents;

/// <summary>Incident reports as an operator sends them, each with a request id of its own.</summary>
public static class Reports
{
    public static IncidentReport From(string reporter, bool significant = false, DateTimeOffset? awareAt = null) => new(
        RequestId: Guid.NewGuid().ToString("N"),
        ReporterStakeholderId: reporter,
        Contact: new ReporterContact("Duty officer", "soc@" + reporter + ".example", "+352 20 00 00 99"),
        Title: "Substation HMI unreachable",
        Description: "Operators lost the HMI of substation 7; ransom note on the engineering workstation.",
        AwareAt: awareAt,
        Significant: significant,
        SuspectedMalicious: true,
        CrossBorderImpact: false,
        AffectedStakeholderIds: [],
        SectorCodes: [],
        RsitClass: "",
        RsitType: "",
        Severity: Severity.Medium,
        Tlp: null,
        Observables: []);
}
