using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Cirt.Contracts.V1;
using Cirt.Server.Ingest;
using Cirt.Server.Storage;
using Cirt.Server.Tests.Ingest;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Cirt.Server.Tests.Storage;

/// <summary>
/// An acknowledged write survives a power cut only if its commit was fsynced: SQLite does that
/// with synchronous = FULL, a setting of each connection. So the setting is read on the very
/// connections the server wrote with, as each of them closes, after a workload that makes every
/// writer write: grain storage, the read model, reminders, the stakeholder directory, the ingest
/// log and the ingest state. A writer that switched its connection to NORMAL fails this test.
/// </summary>
public sealed partial class DurableCommitTests : IAsyncLifetime
{
    /// <summary>SQLite's PRAGMA synchronous values: 2 is FULL, 3 is EXTRA; 0 (OFF) and 1 (NORMAL) may lose committed writes.</summary>
    private const long Full = 2;

    private readonly ServerFixture _server = new();
    private readonly ConcurrentQueue<Closed> _closed = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task EveryConnectionAWriterUsedFsyncsEachCommit()
    {
        var main = _server.Services.GetRequiredService<SqliteDatabase>();
        var ingest = _server.Services.GetRequiredService<IngestDatabase>();
        Watch(main, "cirt.db");
        Watch(ingest.Log, "ingest.db");
        Watch(ingest.State, "ingest-state.db");

        // A significant incident: grain state, its summary in the read model, its NIS2 deadline reminder.
        await _server.Reporting().SubmitIncidentAsync(Reports.Valid("gridco", significant: true));
        // A stakeholder: grain state and the stakeholder directory.
        await _server.Stakeholders().CreateStakeholderAsync(new CreateStakeholderRequest { Stakeholder = TestStakeholders.NewStakeholder("ENERGY") });
        // An event: the ingest log, then the aggregator's pass in the ingest state.
        await _server.GrantFeedAsync("honeypot-1", _server.GridcoKey);
        await _server.Ingest().PublishAsync(new PublishRequest { Batch = Events.Batch(Events.Infected("192.0.2.1")) });
        await IngestStats.SettledAsync(_server.Ingest(_server.AnalystKey), stored: 1);
        // Stopping closes the connections held for the server's lifetime (the log's writer, the aggregator's).
        await _server.StopAsync();

        var careless = _closed.Where(c => c.Synchronous < Full).Select(c => c.ToString()).Distinct().ToArray();
        Assert.True(careless.Length == 0, "Connections closed without fsyncing each commit:\n" + string.Join('\n', careless));
        var seen = _closed.Select(c => (c.Database, c.User)).ToHashSet();
        Assert.Contains(("cirt.db", "Orleans grain storage"), seen);
        Assert.Contains(("cirt.db", "SqliteIncidentQueue.CommitAsync"), seen);
        Assert.Contains(("cirt.db", "SqliteReminderTable.UpsertRow"), seen);
        Assert.Contains(("cirt.db", "SqliteStakeholderDirectory.UpsertAsync"), seen);
        Assert.Contains(_closed, c => c.Database == "ingest.db" && c.User.StartsWith("SqliteIngestLogStore.", StringComparison.Ordinal));
        Assert.Contains(_closed, c => c.Database == "ingest-state.db");
    }

    private void Watch(SqliteDatabase database, string name) =>
        database.ConnectionClosing += connection => _closed.Enqueue(new Closed(name, UserOf(new StackTrace()), Synchronous(connection)));

    private static long Synchronous(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous;";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>
    /// Which code closed the connection: the innermost frame of the server's own code
    /// ("SqliteReminderTable.UpsertRow"), or Orleans' grain storage.
    /// </summary>
    private static string UserOf(StackTrace trace)
    {
        foreach (var frame in trace.GetFrames())
        {
            var method = frame.GetMethod();
            var type = method?.DeclaringType;
            if (type is null)
            {
                continue;
            }

            // An async method runs as a nested state machine ("<UpsertRow>d__4", "<<UpsertAsync>b__0>d"): name the method it came from.
            var name = method!.Name;
            var outer = type;
            while (outer.DeclaringType is not null)
            {
                if (MethodInStateMachine().Match(outer.Name) is { Success: true } match)
                {
                    name = match.Groups[1].Value;
                }

                outer = outer.DeclaringType;
            }

            var space = outer.Namespace ?? "";
            if (space.StartsWith("Orleans.Storage", StringComparison.Ordinal) || space.StartsWith("Orleans.Persistence", StringComparison.Ordinal))
            {
                return "Orleans grain storage";
            }

            if (space.StartsWith("Cirt.Server", StringComparison.Ordinal) && !space.StartsWith("Cirt.Server.Tests", StringComparison.Ordinal) && outer != typeof(SqliteDatabase))
            {
                return $"{outer.Name}.{name}";
            }
        }

        return "unknown";
    }

    [GeneratedRegex(@"^<+(\w+)>")]
    private static partial Regex MethodInStateMachine();

    private sealed record Closed(string Database, string User, long Synchronous)
    {
        public override string ToString() => $"{Database} by {User}: synchronous = {Synchronous}";
    }
}
