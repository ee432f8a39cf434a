using Cirt.Contracts.V1;

namespace Cirt.Server.Tests;

/// <summary>Valid requests to start from; tests change one thing at a time.</summary>
public static class Reports
{
    public static SubmitIncidentRequest Valid(string reporter = "gridco", bool significant = false) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        ReporterStakeholderId = reporter,
        Title = "Ransomware on SCADA HMI",
        Description = "Two HMI workstations show a ransom note; operators switched to manual control.",
        Significant = significant,
        Observables = { new Observable { Type = ObservableType.IpAddress, Value = "203.0.113.7" } },
    };
}
