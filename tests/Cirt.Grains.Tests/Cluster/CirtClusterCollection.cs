namespace Cirt.Grains.Tests.Cluster;

/// <summary>The grain tests that share one <see cref="CirtClusterFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class CirtClusterCollection : ICollectionFixture<CirtClusterFixture>
{
    public const string Name = "Cirt cluster";
}
