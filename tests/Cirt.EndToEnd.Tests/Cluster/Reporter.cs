using System.Threading.Channels;
using Cirt.Contracts.V1;

namespace Cirt.EndToEnd.Tests.Cluster;

/// <summary>
/// CIRT staff reporting incidents on GridCo's behalf, one after another, each through whichever
/// silo answers; every acknowledged report is recorded and handed to the analysts.
/// </summary>
public sealed class Reporter(string name, PatientClient client, CommittedIncidents committed, ChannelWriter<string> toTriage)
{
    private int _acknowledged;

    /// <summary>Reports acknowledged so far.</summary>
    public int Acknowledged => Volatile.Read(ref _acknowledged);

    /// <summary>Reports until <paramref name="stop"/> is cancelled; the report under way is finished (acknowledged) first.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        for (var n = 1; !stop.IsCancellationRequested; n++)
        {
            var request = new SubmitIncidentRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                ReporterStakeholderId = "gridco",
                Title = $"{name}: report {n}",
                Description = "A substation controller answers on an unexpected port.",
                Severity = Severity.Medium,
                RsitClass = "intrusion-attempts",
                RsitType = "exploit",
            };
            var response = await client.AcknowledgedAsync($"{name} report {n}", () => client.Reporting.SubmitIncidentAsync(request));
            committed.Acknowledged(response.Incident);
            await toTriage.WriteAsync(response.TrackingId, CancellationToken.None);
            Interlocked.Increment(ref _acknowledged);
        }
    }
}
