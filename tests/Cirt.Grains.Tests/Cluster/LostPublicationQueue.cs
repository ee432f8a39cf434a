using Cirt.Grains.Incidents;
using Microsoft.Extensions.DependencyInjection;

namespace Cirt.Grains.Tests.Cluster;

/// <summary>
/// The silo's read model, made to lose the next publication of a chosen incident as a silo killed
/// after the incident's state write loses it: the grain carries on as if it were published, and
/// nothing reaches the database.
/// </summary>
public sealed class LostPublicationQueue(IIncidentQueue inner) : IIncidentQueue
{
    private volatile string? _losing;

    /// <summary>How many publications were lost.</summary>
    public int Lost { get; private set; }

    public void LoseNextOf(string trackingId) => _losing = trackingId;

    public Task UpsertAsync(IncidentSummary summary, CancellationToken cancellationToken = default)
    {
        if (summary.TrackingId != _losing)
        {
            return inner.UpsertAsync(summary, cancellationToken);
        }

        _losing = null;
        Lost++;
        return Task.CompletedTask;
    }

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

    /// <summary>Wraps the read model registered last as <see cref="IIncidentQueue"/> (by its type).</summary>
    public static void Decorate(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IIncidentQueue));
        var implementation = registered.ImplementationType
                             ?? throw new InvalidOperationException("The read model is not registered by its type; it cannot be wrapped.");
        services.Remove(registered);
        services.AddSingleton(implementation);
        services.AddSingleton<IIncidentQueue>(provider => new LostPublicationQueue((IIncidentQueue)provider.GetRequiredService(implementation)));
    }
}
