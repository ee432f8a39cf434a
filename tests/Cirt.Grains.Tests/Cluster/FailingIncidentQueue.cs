using Cirt.Grains.Incidents;
using Microsoft.Extensions.DependencyInjection;

namespace Cirt.Grains.Tests.Cluster;

/// <summary>The silo's read model, made to refuse the summaries of a chosen incident until the test calls <see cref="Recover"/>.</summary>
public sealed class FailingIncidentQueue(IIncidentQueue inner) : IIncidentQueue
{
    private volatile string? _failing;

    public void FailUpsertsOf(string trackingId) => _failing = trackingId;

    public void Recover() => _failing = null;

    public Task UpsertAsync(IncidentSummary summary, CancellationToken cancellationToken = default) =>
        summary.TrackingId == _failing
            ? Task.FromException(new IOException("The read model is unreachable (a test made it fail)"))
            : inner.UpsertAsync(summary, cancellationToken);

    public Task<(IReadOnlyList<IncidentSummary> Page, int Total)> QueryAsync(IncidentQuery query, CancellationToken cancellationToken = default) =>
        inner.QueryAsync(query, cancellationToken);

    public Task<(IReadOnlyList<DeadlineRow> Page, int Total, bool TotalIsLowerBound)> DeadlinesAsync(DeadlineQuery query, CancellationToken cancellationToken = default) =>
        inner.DeadlinesAsync(query, cancellationToken);

    public Task<(IReadOnlyList<TaskRow> Page, int Total, bool TotalIsLowerBound)> TasksAsync(TaskQuery query, CancellationToken cancellationToken = default) =>
        inner.TasksAsync(query, cancellationToken);

    public Task<IncidentChanges> ChangesAsync(long afterChange, int limit, CancellationToken cancellationToken = default) =>
        inner.ChangesAsync(afterChange, limit, cancellationToken);

    public Task<IReadOnlyList<IncidentSummary>> FallingDueAsync(IReadOnlyList<DueWindow> windows, CancellationToken cancellationToken = default) =>
        inner.FallingDueAsync(windows, cancellationToken);

    public Task<IReadOnlyList<IncidentCount>> CountsAsync(CancellationToken cancellationToken = default) => inner.CountsAsync(cancellationToken);

    /// <summary>Wraps the read model registered as <see cref="IIncidentQueue"/>.</summary>
    public static void Decorate(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IIncidentQueue));
        var implementation = registered.ImplementationType
                             ?? throw new InvalidOperationException("The read model is not registered by its type; it cannot be wrapped.");
        services.Remove(registered);
        services.AddSingleton(implementation);
        services.AddSingleton<IIncidentQueue>(provider => new FailingIncidentQueue((IIncidentQueue)provider.GetRequiredService(implementation)));
    }
}
