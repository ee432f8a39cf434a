using Cirt.Grains.Incidents;

namespace Cirt.Grains.Sectors;

/// <summary>
/// A sector's alert level, 1 (normal) to 5 (critical), derived from the sector's open incidents
/// that a CIRT analyst has triaged (triaged, responding, recovering; exercises left out): a reported
/// incident's severity is its reporter's claim, and moves no level until triage.
/// <list type="bullet">
/// <item>5: two or more open critical incidents (the sector is under a campaign);</item>
/// <item>4: one open critical incident, or three or more open high ones;</item>
/// <item>3: an open high incident, or five or more open incidents of medium severity or above;</item>
/// <item>2: any open incident;</item>
/// <item>1: none.</item>
/// </list>
/// A coordinator may set a level by hand with a reason; the sector then shows the higher of the two.
/// </summary>
public static class AlertLevel
{
    public const int Lowest = 1;
    public const int Highest = 5;

    /// <summary>The statuses of the incidents that count: open, and triaged by the CIRT.</summary>
    public static IncidentStatus[] CountedStatuses { get; } = IncidentLifecycle.OpenStatuses.Where(Counts).ToArray();

    /// <summary>Whether an incident in <paramref name="status"/> counts towards its sectors' levels.</summary>
    public static bool Counts(IncidentStatus status) => IncidentLifecycle.IsOpen(status) && status != IncidentStatus.Reported;

    /// <summary>
    /// The derived level and the reason for it, from counts by severity of the open incidents that
    /// count (<see cref="CountedStatuses"/>); <paramref name="awaitingTriage"/> reported incidents are
    /// named in the reason, and raise nothing.
    /// </summary>
    public static (int Level, string Basis) Derive(int openCritical, int openHigh, int openMedium, int openTotal, int awaitingTriage = 0)
    {
        var (level, basis) = DeriveTriaged(openCritical, openHigh, openMedium, openTotal);
        return awaitingTriage == 0 ? (level, basis)
            : (level, (openTotal == 0 ? "no triaged open incidents" : basis) + $"; {awaitingTriage} reported incident(s) awaiting triage, not counted until triaged");
    }

    private static (int Level, string Basis) DeriveTriaged(int openCritical, int openHigh, int openMedium, int openTotal)
    {
        if (openCritical >= 2)
        {
            return (5, $"{openCritical} open critical incidents");
        }

        if (openCritical == 1 || openHigh >= 3)
        {
            return (4, openCritical == 1 ? "an open critical incident" : $"{openHigh} open high incidents");
        }

        if (openHigh >= 1 || openCritical + openHigh + openMedium >= 5)
        {
            return (3, openHigh >= 1 ? $"{openHigh} open high incident(s)" : $"{openMedium} open medium incidents");
        }

        return openTotal > 0 ? (2, $"{openTotal} open incident(s) of low or unassessed severity") : (1, "no open incidents");
    }

    /// <summary>What the sector shows: the derived level, raised by a manual one when that is higher.</summary>
    public static (int Level, string Basis) Effective((int Level, string Basis) derived, ManualAlert? manual) =>
        manual is not null && manual.Level > derived.Level
            ? (manual.Level, $"raised by {manual.By}: {manual.Reason} (derived: {derived.Level}, {derived.Basis})")
            : derived;
}
