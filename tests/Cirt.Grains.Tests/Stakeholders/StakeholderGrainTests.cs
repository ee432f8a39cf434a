using Cirt.Grains.Common;
using Cirt.Grains.Sectors;
using Cirt.Grains.Stakeholders;
using Cirt.Grains.Tests.Cluster;

namespace Cirt.Grains.Tests.Stakeholders;

[Collection(CirtClusterCollection.Name)]
public sealed class StakeholderGrainTests(CirtClusterFixture cluster)
{
    private const string Coordinator = "coordinator:marie";

    private static StakeholderProfile Utility(params string[] sectors) => new(
        "North Grid Utility", StakeholderType.EssentialServiceOperator, sectors, "LU", Nis2EntityClass.Essential,
        [new Contact("North Grid SOC", "security operations", "soc@northgrid.example", "+352 20 00 00 42", null)],
        new Constituency(["198.51.100.0/28"], [64500], ["northgrid.example"]));

    private IStakeholderGrain NewStakeholder() =>
        cluster.Grains.GetGrain<IStakeholderGrain>("utility-" + Guid.NewGuid().ToString("N")[..12]);

    private async Task<string[]> MembersOfAsync(string sectorCode) =>
        (await cluster.Grains.GetGrain<ISectorGrain>(sectorCode).GetAsync())?.StakeholderIds
        ?? throw new InvalidOperationException($"Sector {sectorCode} is not seeded.");

    [Fact]
    public async Task CreateStoresTheProfileAsVersionOne()
    {
        var grain = NewStakeholder();

        var created = await grain.CreateAsync(Utility("ENERGY", "ENERGY"), Coordinator);

        Assert.Equal(grain.GetPrimaryKeyString(), created.Id);
        Assert.Equal("North Grid Utility", created.Name);
        Assert.Equal(["ENERGY"], created.SectorCodes);
        Assert.Equal((1L, Coordinator), (created.Version, created.UpdatedBy));
        var stored = await grain.GetAsync();
        Assert.NotNull(stored);
        Assert.Equal(("North Grid Utility", 1L), (stored.Name, stored.Version));
        Assert.Equal(["soc@northgrid.example"], stored.Contacts.Select(c => c.Email));
        Assert.Equal(["198.51.100.0/28"], stored.Constituency.IpPrefixes);
    }

    [Fact]
    public async Task CreatingAStakeholderTwiceIsRefusedAsAlreadyExists()
    {
        var grain = NewStakeholder();
        await grain.CreateAsync(Utility("ENERGY"), Coordinator);

        var refused = await Assert.ThrowsAsync<CirtException>(
            () => grain.CreateAsync(Utility("BANKING") with { Name = "Impostor" }, "coordinator:eve"));

        Assert.Equal(CirtErrorKind.AlreadyExists, refused.Kind);
        Assert.Equal("stakeholder.id", refused.Field);
        var stored = await grain.GetAsync();
        Assert.NotNull(stored);
        Assert.Equal(("North Grid Utility", 1L), (stored.Name, stored.Version));
        Assert.Equal(["ENERGY"], stored.SectorCodes);
    }

    [Fact]
    public async Task CreateInAnUnknownSectorIsRefusedAsNotFound()
    {
        var grain = NewStakeholder();

        var refused = await Assert.ThrowsAsync<CirtException>(
            () => grain.CreateAsync(Utility("ENERGY", "NO_SUCH_SECTOR"), Coordinator));

        Assert.Equal(CirtErrorKind.NotFound, refused.Kind);
        Assert.Equal("stakeholder.sector_codes", refused.Field);
        Assert.Contains("NO_SUCH_SECTOR", refused.Message, StringComparison.Ordinal);
        Assert.Null(await grain.GetAsync());
        Assert.DoesNotContain(grain.GetPrimaryKeyString(), await MembersOfAsync("ENERGY"));
    }

    [Fact]
    public async Task UpdateWithAStaleVersionIsRefusedAsConflict()
    {
        var grain = NewStakeholder();
        await grain.CreateAsync(Utility("ENERGY"), Coordinator);
        await grain.UpdateAsync(Utility("ENERGY") with { Name = "North Grid" }, expectedVersion: 1, Coordinator);

        var refused = await Assert.ThrowsAsync<CirtException>(
            () => grain.UpdateAsync(Utility("ENERGY") with { Name = "Stale edit" }, expectedVersion: 1, "coordinator:eve"));

        Assert.Equal(CirtErrorKind.Conflict, refused.Kind);
        Assert.Equal("expected_version", refused.Field);
        var stored = await grain.GetAsync();
        Assert.Equal(("North Grid", 2L, Coordinator), (stored?.Name, stored?.Version, stored?.UpdatedBy));
    }

    [Fact]
    public async Task UpdatingAnUnknownStakeholderIsRefusedAsNotFound()
    {
        var refused = await Assert.ThrowsAsync<CirtException>(
            () => NewStakeholder().UpdateAsync(Utility("ENERGY"), 0, Coordinator));

        Assert.Equal(CirtErrorKind.NotFound, refused.Kind);
    }

    [Fact]
    public async Task StakeholderIsAMemberOfItsSector()
    {
        var grain = NewStakeholder();

        await grain.CreateAsync(Utility("ENERGY"), Coordinator);

        Assert.Contains(grain.GetPrimaryKeyString(), await MembersOfAsync("ENERGY"));
    }

    [Fact]
    public async Task MovingToAnotherSectorMovesTheMembership()
    {
        var grain = NewStakeholder();
        await grain.CreateAsync(Utility("ENERGY"), Coordinator);

        var moved = await grain.UpdateAsync(Utility("BANKING"), expectedVersion: 1, Coordinator);

        Assert.Equal(["BANKING"], moved.SectorCodes);
        Assert.Equal(2, moved.Version);
        Assert.DoesNotContain(grain.GetPrimaryKeyString(), await MembersOfAsync("ENERGY"));
        Assert.Contains(grain.GetPrimaryKeyString(), await MembersOfAsync("BANKING"));
    }
}
