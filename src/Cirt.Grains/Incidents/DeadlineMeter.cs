using System.Diagnostics.Metrics;

namespace Cirt.Grains.Incidents;

/// <summary>Counts deadline escalations (meter "Cirt.Deadlines"), next to their log lines and timeline entries.</summary>
public sealed class DeadlineMeter
{
    public const string MeterName = "Cirt.Deadlines";

    /// <summary>The counter's name; its tag "kind" is the deadline's <see cref="TagOf"/>.</summary>
    public const string EscalatedName = "cirt.deadlines.escalated";

    private readonly Counter<long> _escalated;

    public DeadlineMeter(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _escalated = meter.CreateCounter<long>(EscalatedName, description: "Deadlines (triage SLA, NIS2 stages) escalated to the coordinators when overdue");
    }

    /// <summary>Counts <paramref name="escalated"/>, once it is stored.</summary>
    public void Escalated(IEnumerable<Deadline> escalated)
    {
        foreach (var deadline in escalated)
        {
            _escalated.Add(1, new KeyValuePair<string, object?>("kind", TagOf(deadline.Kind)));
        }
    }

    /// <summary>How a deadline kind reads in metrics and spans: "triage", "nis2_early_warning", "nis2_notification", ...</summary>
    public static string TagOf(DeadlineKind kind) => kind switch
    {
        DeadlineKind.Triage => "triage",
        DeadlineKind.Nis2EarlyWarning => "nis2_early_warning",
        DeadlineKind.Nis2Notification => "nis2_notification",
        DeadlineKind.Nis2IntermediateReport => "nis2_intermediate_report",
        DeadlineKind.Nis2FinalReport => "nis2_final_report",
        DeadlineKind.Nis2ProgressReport => "nis2_progress_report",
        _ => "other",
    };
}
