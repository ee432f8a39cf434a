using Cirt.Grains.Incidents;
using Cirt.Server.Incidents;
using Cirt.Server.Storage;

namespace Cirt.Server.Extensions;

/// <summary>The cluster profile's read model of incidents in PostgreSQL, and the sweep that keeps it from missing a change a stopped silo left unpublished.</summary>
public static class PostgresReadModelExtensions
{
    /// <summary>Registers <see cref="PostgresIncidentQueue"/>, <see cref="PostgresProjectionMarks"/> and <see cref="ProjectionSweeper"/> (needs <see cref="PostgresDatabase"/> registered).</summary>
    public static ISiloBuilder AddCirtPostgresReadModel(this ISiloBuilder silo)
    {
        silo.Services.AddSingleton<IIncidentQueue, PostgresIncidentQueue>();
        silo.Services.AddSingleton<IProjectionMarks, PostgresProjectionMarks>();
        silo.Services.AddOptions<ProjectionSweepOptions>().BindConfiguration(ProjectionSweepOptions.Section);
        silo.Services.AddHostedService<ProjectionSweeper>();
        return silo;
    }
}
