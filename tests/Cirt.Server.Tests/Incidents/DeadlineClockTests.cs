using Cirt.Contracts.V1;
using Microsoft.Extensions.Time.Testing;

namespace Cirt.Server.Tests.Incidents;

/// <summary>
/// What the NIS2 deadline tests share: a server of their own whose business clock the test moves,
/// checking deadlines every second, and the incident and deadline reads they wait on.
/// </summary>
public abstract class DeadlineClockTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    protected DeadlineClockTests()
    {
        Server = new ServerFixture { Clock = Clock, ExtraArguments = ["--Cirt:Deadlines:CheckPeriod", "00:00:01"] };
    }

    /// <summary>The business clock, at <see cref="Start"/> until the test moves it.</summary>
    protected FakeTimeProvider Clock { get; } = new(Start);

    protected ServerFixture Server { get; }

    public Task InitializeAsync() => Server.InitializeAsync();

    public Task DisposeAsync() => Server.DisposeAsync();

    protected static Deadline Deadline(Incident incident, DeadlineKind kind) => incident.Deadlines.Single(d => d.Kind == kind);

    protected async Task<Incident> GetAsync(string id) =>
        (await Server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = id })).Incident;

    /// <summary>Waits (in real time: the check runs every second) until the stage exists and is escalated.</summary>
    protected Task<Incident> EscalatedAsync(string id, DeadlineKind kind) =>
        Eventually.ReadAsync(() => GetAsync(id), incident => incident.Deadlines.Any(d => d.Kind == kind && d.EscalatedAt is not null),
            $"{kind} of {id} was not escalated within 30 s");
}
