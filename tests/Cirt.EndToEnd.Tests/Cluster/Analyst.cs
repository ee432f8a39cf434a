using System.Threading.Channels;
using Cirt.Contracts.V1;

namespace Cirt.EndToEnd.Tests.Cluster;

/// <summary>
/// A CIRT analyst working the queue: takes each reported incident, accepts it at triage, moves it
/// to responding and writes a note, each change through whichever silo answers; every acknowledged
/// change is recorded.
/// </summary>
public sealed class Analyst(string name, PatientClient client, CommittedIncidents committed, ChannelReader<string> reported)
{
    private int _acknowledged;

    /// <summary>Changes acknowledged so far.</summary>
    public int Acknowledged => Volatile.Read(ref _acknowledged);

    /// <summary>Works until <paramref name="stop"/> is cancelled; the incident under way is finished (each change acknowledged) first.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            string trackingId;
            try
            {
                trackingId = await reported.ReadAsync(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var triage = new TriageIncidentRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                TrackingId = trackingId,
                Outcome = TriageOutcome.Accept,
                RsitClass = "intrusion-attempts",
                RsitType = "exploit",
                Severity = Severity.Medium,
                Tlp = Tlp.Amber,
                Assignee = name,
            };
            Record((await client.AcknowledgedAsync($"{name} triage {trackingId}", () => client.Incidents.TriageIncidentAsync(triage))).Incident);

            var respond = new TransitionIncidentRequest { RequestId = Guid.NewGuid().ToString(), TrackingId = trackingId, TargetStatus = IncidentStatus.Responding };
            Record((await client.AcknowledgedAsync($"{name} transition {trackingId}", () => client.Incidents.TransitionIncidentAsync(respond))).Incident);

            var note = new AddNoteRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                TrackingId = trackingId,
                Text = $"{name}: controller isolated, vendor contacted.",
                Visibility = TimelineVisibility.Internal,
            };
            Record((await client.AcknowledgedAsync($"{name} note {trackingId}", () => client.Incidents.AddNoteAsync(note))).Incident, noteAdded: true);
        }
    }

    private void Record(Incident incident, bool noteAdded = false)
    {
        committed.Acknowledged(incident, noteAdded);
        Interlocked.Increment(ref _acknowledged);
    }
}
