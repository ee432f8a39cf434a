using Cirt.Grains.Common;
using Cirt.Grains.Partners;
using Cirt.Grains.Tests.Cluster;

namespace Cirt.Grains.Tests.Partners;

/// <summary>Partner grains on the shared cluster: registered once, listed by the catalog, changed only once a change is written.</summary>
[Collection(CirtClusterCollection.Name)]
public sealed class PartnerGrainTests(CirtClusterFixture cluster) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        cluster.Storage.Recover();
        return Task.CompletedTask;
    }

    private static string NewId() => "cirt-" + Guid.NewGuid().ToString("N")[..10];

    private static PartnerRegistration Registration() =>
        new("CERT Example", "DE", "", PartnerRulesTests.NewKeyPem(), "", PartnerRulesTests.Agreement());

    [Fact]
    public async Task ARegisteredPartnerIsListedOnceAndCannotBeRegisteredAgain()
    {
        var id = NewId();
        var grain = cluster.Grains.GetGrain<IPartnerGrain>(id);

        var registered = await grain.RegisterAsync(Registration(), "carol");
        var again = await Assert.ThrowsAsync<CirtException>(() => grain.RegisterAsync(Registration(), "dave"));

        Assert.Equal(CirtErrorKind.AlreadyExists, again.Kind);
        Assert.Equivalent(registered, await grain.GetAsync(), strict: true);
        Assert.Single(await cluster.Grains.GetGrain<IPartnerCatalogGrain>(IPartnerCatalogGrain.Key).ListAsync(), p => p == id);
    }

    [Fact]
    public async Task AnAgreementNamingAnUnknownSectorIsNotFound()
    {
        var grain = cluster.Grains.GetGrain<IPartnerGrain>(NewId());
        var agreement = PartnerRulesTests.Agreement() with { AllSectors = false, Sectors = ["NO_SUCH_SECTOR"] };

        var refused = await Assert.ThrowsAsync<CirtException>(() => grain.RegisterAsync(Registration() with { Agreement = agreement }, "carol"));

        Assert.Equal((CirtErrorKind.NotFound, "agreement.sectors"), (refused.Kind, refused.Field));
        Assert.Null(await grain.GetAsync());
    }

    [Fact]
    public async Task ASuspensionStorageCannotWriteLeavesThePartnerActiveAndNeverAppearsLater()
    {
        var grain = cluster.Grains.GetGrain<IPartnerGrain>(NewId());
        var before = await grain.RegisterAsync(Registration(), "carol");

        var id = grain.GetGrainId();
        cluster.Storage.FailWritesOf(g => g == id);
        var refused = await Assert.ThrowsAsync<ChangeNotStoredException>(() => grain.SuspendAsync("Key compromise", "dave"));
        var seen = await grain.GetAsync();
        cluster.Storage.Recover();
        await cluster.Grains.GetGrain<IManagementGrain>(0).DeactivateGrain(id);

        Assert.Contains("nothing was changed (it stays at version 1)", refused.Message, StringComparison.Ordinal);
        Assert.Equivalent(before, seen, strict: true);
        Assert.Equivalent(before, await grain.GetAsync(), strict: true);
    }

    [Fact]
    public async Task ChangesToAPartnerNotRegisteredAreNotFound()
    {
        var refused = await Assert.ThrowsAsync<CirtException>(() => cluster.Grains.GetGrain<IPartnerGrain>(NewId()).ResumeAsync("carol"));

        Assert.Equal(CirtErrorKind.NotFound, refused.Kind);
    }
}
