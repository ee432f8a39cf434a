using Cirt.Contracts.V1;
using Grpc.Core;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Tests.Incidents;

/// <summary>
/// A server of its own whose grain storage refuses an incident's writes, as a full disk would: a
/// trigger in the real SQLite file aborts them. The caller is told nothing was stored, readers see
/// the version before, and neither the next write nor a restart brings the refused change back.
/// </summary>
public sealed class IncidentStorageFailureTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task ANoteTheDiskRefusesIsAnsweredUnavailableAndNeitherShownNorStoredLater()
    {
        var id = (await _server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco"))).TrackingId;
        await _server.Incidents().AddNoteAsync(new AddNoteRequest { TrackingId = id, Text = "Called the GridCo SOC" });
        var before = await GetAsync(id);

        await using (await RefuseWritesOfAsync(id))
        {
            var refused = await RpcAssert.FailsWith(StatusCode.Unavailable,
                () => _server.Incidents().AddNoteAsync(new AddNoteRequest { TrackingId = id, Text = "ghost note" }).ResponseAsync);
            Assert.Equal($"Incident {id}: the change could not be stored, so nothing was changed (it stays at version {before.Version}). Try again shortly.",
                refused.Status.Detail);
            Assert.Equal(before, await GetAsync(id));
            var listed = await _server.Incidents().ListIncidentsAsync(new ListIncidentsRequest { StakeholderId = "gridco", PageSize = 500 });
            Assert.Equal(before.Version, listed.Incidents.Single(i => i.TrackingId == id).Version);
        }

        var after = (await _server.Incidents().AddNoteAsync(new AddNoteRequest { TrackingId = id, Text = "Asked the vendor for the HMI image" })).Incident;
        await _server.StopAsync();
        await _server.StartAsync();
        var restarted = await GetAsync(id);

        Assert.Equal(before.Version + 1, after.Version);
        Assert.Equal(["Called the GridCo SOC", "Asked the vendor for the HMI image"], after.Timeline.Where(e => e.Kind == "note").Select(e => e.Summary));
        Assert.Equal(after, restarted);
    }

    [Fact]
    public async Task ATriageTheDiskRefusesLeavesTheIncidentReportedAndIsAppliedOnceWhenSentAgain()
    {
        var id = (await _server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco"))).TrackingId;
        var triage = new TriageIncidentRequest
        {
            TrackingId = id, Outcome = TriageOutcome.Accept, RsitClass = "malicious-code", RsitType = "infected-system", Severity = Severity.High,
            ExpectedVersion = 1,
        };

        await using (await RefuseWritesOfAsync(id))
        {
            await RpcAssert.FailsWith(StatusCode.Unavailable, () => _server.Incidents().TriageIncidentAsync(triage).ResponseAsync);
            var seen = await GetAsync(id);
            Assert.Equal((IncidentStatus.Reported, 1L), (seen.Status, seen.Version));
            var tasks = await _server.Incidents(_server.GridcoKey).ListTasksAsync(new ListTasksRequest { IncludeFinished = true });
            Assert.DoesNotContain(tasks.Tasks, t => t.Incident.TrackingId == id);
        }

        var triaged = (await _server.Incidents().TriageIncidentAsync(triage)).Incident;

        Assert.Equal((IncidentStatus.Triaged, 2L), (triaged.Status, triaged.Version));
        Assert.Single(triaged.Timeline, e => e.Kind == "triaged");
        Assert.Equal(triaged, await GetAsync(id));
    }

    private async Task<Incident> GetAsync(string trackingId) =>
        (await _server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId })).Incident;

    /// <summary>Makes the SQLite file abort every write of the incident's grain state until disposed.</summary>
    private async Task<IAsyncDisposable> RefuseWritesOfAsync(string trackingId)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_server.DataDirectory, "cirt.db")}");
        await connection.OpenAsync();
        await using (var stored = connection.CreateCommand())
        {
            stored.CommandText = "SELECT count(*) FROM OrleansStorage WHERE GrainIdExtensionString = $id";
            stored.Parameters.AddWithValue("$id", trackingId);
            Assert.Equal(1L, (long)(await stored.ExecuteScalarAsync())!);
        }

        await using (var create = connection.CreateCommand())
        {
            // The tracking id's shape (letters, digits, '-') was checked by the server: safe to inline in the trigger.
            create.CommandText = $"""
                CREATE TRIGGER test_refuse_incident_writes BEFORE INSERT ON OrleansStorage
                WHEN NEW.GrainIdExtensionString = '{trackingId}'
                BEGIN SELECT RAISE(ABORT, 'database or disk is full (the test refuses this write)'); END;
                """;
            await create.ExecuteNonQueryAsync();
        }

        return new Refusal(connection);
    }

    private sealed class Refusal(SqliteConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var drop = connection.CreateCommand())
            {
                drop.CommandText = "DROP TRIGGER test_refuse_incident_writes";
                await drop.ExecuteNonQueryAsync();
            }

            await connection.DisposeAsync();
        }
    }
}
