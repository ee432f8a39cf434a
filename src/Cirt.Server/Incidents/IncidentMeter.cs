using System.Diagnostics.Metrics;
using Cirt.Grains.Incidents;

namespace Cirt.Server.Incidents;

/// <summary>
/// How many incidents there are by status and severity (meter "Cirt.Incidents", gauge
/// "cirt.incidents"), read from the counts the read model keeps as incidents are written
/// (<see cref="IIncidentQueue.CountsAsync"/>): a scrape reads a few dozen rows, never the whole queue.
/// </summary>
public sealed class IncidentMeter
{
    public const string MeterName = "Cirt.Incidents";

    /// <summary>
    /// The gauge's name; its tags are "status" and "severity" (lower-case names, e.g. "triaged", "critical";
    /// the severity is the CIRT's, "unspecified" until triage sets it) and "exercise".
    /// </summary>
    public const string IncidentsName = "cirt.incidents";

    private readonly IIncidentQueue _queue;
    private readonly ILogger<IncidentMeter> _logger;

    public IncidentMeter(IMeterFactory meters, IIncidentQueue queue, ILogger<IncidentMeter> logger)
    {
        _queue = queue;
        _logger = logger;
        meters.Create(MeterName).CreateObservableGauge(IncidentsName, Observe, unit: "{incident}",
            description: "Incidents in the queue by status, severity and whether they are exercises (rejected and duplicate ones included)");
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        IReadOnlyList<IncidentCount> counts;
        try
        {
            // Collections are synchronous; reading the counts is a small local query.
            counts = _queue.CountsAsync().GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Incident counts could not be read for the metric {Metric}", IncidentsName);
            return [];
        }

        return counts.Select(count => new Measurement<long>(
            count.Incidents,
            new KeyValuePair<string, object?>("status", count.Status.ToString().ToLowerInvariant()),
            new KeyValuePair<string, object?>("severity", count.Severity.ToString().ToLowerInvariant()),
            new KeyValuePair<string, object?>("exercise", count.Exercise)));
    }
}
