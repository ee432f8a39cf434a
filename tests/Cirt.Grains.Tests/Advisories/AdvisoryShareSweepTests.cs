using Cirt.Grains.Advisories;
using Cirt.Grains.Incidents;
using Cirt.Grains.Tests.Cluster;
using Cirt.Server.Advisories;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cirt.Grains.Tests.Advisories;

/// <summary>The server's sweep at start, on the test cluster: what advisories still owe partners is handed to the outbox once.</summary>
[Collection(CirtClusterCollection.Name)]
public sealed class AdvisoryShareSweepTests(CirtClusterFixture cluster)
{
    [Fact]
    public async Task AtStartWhatAnAdvisoryStillOwesPartnersIsQueuedOnce()
    {
        // Its id from the catalog, as AdvisoryService creates it: the sweep reads the catalog.
        var id = await cluster.Grains.GetGrain<IAdvisoryCatalogGrain>(IAdvisoryCatalogGrain.Key).NextIdAsync(2035);
        var grain = cluster.Grains.GetGrain<IAdvisoryGrain>(id);
        await grain.CreateAsync(new AdvisoryContent("Phishing wave against utilities", "Lures imitating the grid regulator.", [], [], [], [], Tlp.Green, ["ENERGY"], [], "")
        {
            PartnerRecipients = ["cirt-de"],
        }, "carol");
        cluster.Outbox.FailNextCallFor(id);
        var published = await grain.PublishAsync(["gridco"], 1, "carol");
        // As after a restart: the advisory is read back from storage, with what it still owes.
        await cluster.Grains.GetGrain<IManagementGrain>(0).DeactivateGrain(grain.GetGrainId());

        await SweepAsync();
        await SweepAsync();

        Assert.Equal(["cirt-de"], published.PendingShares.Select(p => p.PartnerId));
        Assert.Equal([true, false], cluster.Outbox.CallsFor(id).Select(c => c.Failed));
        var swept = await grain.GetAsync();
        Assert.Empty(swept!.PendingShares);
        Assert.Equal(["cirt-de"], swept.PartnerShares.Select(s => s.PartnerId));
    }

    private async Task SweepAsync()
    {
        using var sweep = new AdvisoryShareSweep(cluster.Grains, NullLogger<AdvisoryShareSweep>.Instance);
        await sweep.StartAsync(CancellationToken.None);
        await sweep.ExecuteTask!;
    }
}
