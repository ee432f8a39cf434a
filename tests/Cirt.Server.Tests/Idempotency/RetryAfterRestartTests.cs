using Cirt.Contracts.V1;
using Cirt.Server.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Cirt.Server.Tests.Idempotency;

/// <summary>
/// The request ledger is stored (the embedded profile's SQLite file): a retry after a restart gets
/// the first answer. And when the ledger never recorded it (a crash between the incident's write and
/// the ledger's), the incident's own memory of the request still applies nothing twice.
/// </summary>
public sealed class RetryAfterRestartTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    private async Task<Incident> ReadAsync(string trackingId) =>
        (await _server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId })).Incident;

    private async Task RestartAsync()
    {
        await _server.StopAsync();
        await _server.StartAsync();
    }

    [Fact]
    public async Task ARetryAfterARestartGetsTheFirstAnswer()
    {
        var trackingId = (await _server.Reporting().SubmitIncidentAsync(Reports.Valid())).TrackingId;
        var request = new AddNoteRequest { TrackingId = trackingId, Text = "Called the SOC", RequestId = Guid.NewGuid().ToString() };
        var first = await _server.Incidents().AddNoteAsync(request);

        await RestartAsync();
        var retry = await _server.Incidents().AddNoteAsync(request);

        Assert.Equal(first, retry);
        Assert.Single((await ReadAsync(trackingId)).Timeline, e => e.Kind == "note");
    }

    [Fact]
    public async Task AChangeTheLedgerNeverRecordedIsNotAppliedTwice()
    {
        var trackingId = (await _server.Reporting().SubmitIncidentAsync(Reports.Valid())).TrackingId;
        var request = new AddTaskRequest { TrackingId = trackingId, Title = "Send the firewall logs", AssigneeStakeholderId = "gridco", RequestId = Guid.NewGuid().ToString() };
        var first = await _server.Incidents().AddTaskAsync(request);
        await ForgetAnswersAsync();

        await RestartAsync();
        var retry = await _server.Incidents().AddTaskAsync(request);

        Assert.Equal(first.Incident.Version, retry.Incident.Version);
        Assert.Single((await ReadAsync(trackingId)).Tasks);
    }

    /// <summary>Empties the ledger, as a crash just after the incident's write would have left it.</summary>
    private async Task ForgetAnswersAsync()
    {
        var database = _server.Services.GetRequiredService<SqliteDatabase>();
        await database.WriteAsync(async () =>
        {
            await using var connection = await database.OpenAsync();
            await using var forget = connection.CreateCommand();
            forget.CommandText = "DELETE FROM request_ledger;";
            Assert.True(await forget.ExecuteNonQueryAsync() > 0);
        });
    }
}
