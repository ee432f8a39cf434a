namespace Cirt.Grains.Incidents;

/// <summary>
/// One incident submission, keyed "{reporter}/{request id}": makes SubmitIncident idempotent, so a
/// reporter retrying after a lost answer never opens a second incident.
/// </summary>
public interface ISubmissionGrain : IGrainWithStringKey
{
    Task<Incident> SubmitAsync(IncidentReport report, string actor);
}
