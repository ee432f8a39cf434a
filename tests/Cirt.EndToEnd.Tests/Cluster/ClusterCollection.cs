namespace Cirt.EndToEnd.Tests.Cluster;

/// <summary>
/// The cluster tests run three server processes each, besides PostgreSQL and Azurite: alone, never
/// beside another test of this assembly, so that the timings they check are the cluster's own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "Cluster of server processes";
}
