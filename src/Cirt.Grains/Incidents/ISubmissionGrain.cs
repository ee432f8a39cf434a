using Cirt.Grains.Security;

namespace Cirt.Grains.Incidents;

/// <summary>
/// One incident submission, keyed "{reporter}/{request id}": makes SubmitIncident idempotent, so a
/// reporter retrying after a lost answer never opens a second incident.
/// </summary>
public interface ISubmissionGrain : IGrainWithStringKey
{
    /// <summary>
    /// Opens the incident <paramref name="report"/> describes, sent by <paramref name="submitter"/>
    /// (an operator of the reporter, or CIRT staff on its behalf), or returns it when it is open already.
    /// </summary>
    Task<Incident> SubmitAsync(IncidentReport report, Principal submitter);
}
