using Cirt.Grains.Advisories;
using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Tests.Cluster;

namespace Cirt.Grains.Tests.Advisories;

/// <summary>
/// An advisory changes only once the change is written: when storage fails, the coordinator is
/// told that nothing was changed, readers keep the version before, and nothing brings the failed
/// change back later.
/// </summary>
[Collection(CirtClusterCollection.Name)]
public sealed class AdvisoryStorageFailureTests(CirtClusterFixture cluster) : IAsyncLifetime
{
    private static readonly AdvisoryContent Phishing = new(
        "Phishing wave against utilities and banks", "Lures imitating the grid regulator.", [], [], [], ["Block the sender domain"],
        Tlp.Green, [], ["gridco", "firstbank"], "");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        cluster.Storage.Recover();
        return Task.CompletedTask;
    }

    private async Task<IAdvisoryGrain> PublishedAsync()
    {
        var grain = cluster.Grains.GetGrain<IAdvisoryGrain>("ADV-2031-" + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await grain.CreateAsync(Phishing, "carol");
        await grain.PublishAsync(["firstbank", "gridco"], 1, "carol");
        return grain;
    }

    private void FailWritesOf(IGrainWithStringKey grain)
    {
        var id = grain.GetGrainId();
        cluster.Storage.FailWritesOf(g => g == id);
    }

    [Fact]
    public async Task ANarrowingStorageCannotWriteIsRefusedAsNotStoredAndNeverAppearsLater()
    {
        var grain = await PublishedAsync();
        var before = await grain.GetAsync();
        var strict = Phishing with { Title = "FirstBank only", Tlp = Tlp.AmberStrict, TargetStakeholders = ["firstbank"] };

        FailWritesOf(grain);
        var refused = await Assert.ThrowsAsync<ChangeNotStoredException>(() => grain.UpdateAsync(strict, ["firstbank"], 2, "carol"));
        var seen = await grain.GetAsync();
        cluster.Storage.Recover();
        var acknowledged = await grain.AcknowledgeAsync("gridco", "soc@gridco");
        await cluster.Grains.GetGrain<IManagementGrain>(0).DeactivateGrain(grain.GetGrainId());
        var reloaded = await grain.GetAsync();

        Assert.Equal(1, cluster.Storage.FailedWrites);
        Assert.Contains("nothing was changed (it stays at version 2)", refused.Message, StringComparison.Ordinal);
        Assert.Equivalent(before, seen, strict: true);
        Assert.Equal((2L, "Phishing wave against utilities and banks"), (acknowledged.Version, acknowledged.Content.Title));
        Assert.Empty(acknowledged.FormerRecipients);
        Assert.Equivalent(acknowledged, reloaded, strict: true);
    }

    [Fact]
    public async Task AnAdvisoryIdStorageCannotWriteIsNotAllocated()
    {
        var catalog = cluster.Grains.GetGrain<IAdvisoryCatalogGrain>(IAdvisoryCatalogGrain.Key);
        var listed = await catalog.ListAsync();

        FailWritesOf(catalog);
        await Assert.ThrowsAsync<ChangeNotStoredException>(() => catalog.NextIdAsync(2032));
        var seen = await catalog.ListAsync();
        cluster.Storage.Recover();
        var id = await catalog.NextIdAsync(2032);
        var after = await catalog.ListAsync();

        Assert.Equal(listed, seen);
        Assert.Equal("ADV-2032-0001", id);
        Assert.Equal([.. listed, id], after);
    }
}
