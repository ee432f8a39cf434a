using Cirt.Grains.Stakeholders;

namespace Cirt.Server.Tests.Stakeholders;

/// <summary>
/// What every stakeholder directory promises (memory, SQLite, PostgreSQL): listed by id, byte by
/// byte, with the total; filtered by whole sector codes; an older version never replaces a newer one;
/// and the change count grows with every change, so routing knows to rebuild.
/// </summary>
public abstract class StakeholderDirectoryContractTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    protected abstract IStakeholderDirectory Directory { get; }

    protected static Stakeholder Organisation(string id, long version = 1, string name = "Grid operator", params string[] sectors) =>
        new(id, name, StakeholderType.EssentialServiceOperator, sectors.Length == 0 ? ["energy-electricity"] : sectors, "NL", Nis2EntityClass.Essential,
            [new Contact("Duty officer", "soc", "soc@" + id + ".example", "+31 20 000 0000", null)],
            new Constituency(["192.0.2.0/24"], [64500], [id + ".example"]), version, At, At, "coordinator");

    [Fact]
    public async Task StakeholdersAreListedByIdInPagesWithTheTotal()
    {
        foreach (var id in new[] { "s-b", "s-a", "S-c", "s-d" })
        {
            await Directory.UpsertAsync(Organisation(id));
        }

        var (first, total) = await Directory.ListAsync(null, 0, 3);
        var (second, _) = await Directory.ListAsync(null, 3, 3);
        var (beyond, totalBeyond) = await Directory.ListAsync(null, 10, 3);

        Assert.Equal(4, total);
        Assert.Equal(["S-c", "s-a", "s-b"], first.Select(s => s.Id));
        Assert.Equal(["s-d"], second.Select(s => s.Id));
        Assert.Empty(beyond);
        Assert.Equal(4, totalBeyond);
    }

    [Fact]
    public async Task ASectorFilterMatchesWholeSectorCodesOnly()
    {
        await Directory.UpsertAsync(Organisation("s-gas", sectors: ["energy-gas"]));
        await Directory.UpsertAsync(Organisation("s-both", sectors: ["energy-gas", "transport-rail"]));
        await Directory.UpsertAsync(Organisation("s-rail", sectors: ["transport-rail"]));

        var (gas, gasTotal) = await Directory.ListAsync("energy-gas", 0, 10);
        var (partial, partialTotal) = await Directory.ListAsync("energy", 0, 10);

        Assert.Equal(["s-both", "s-gas"], gas.Select(s => s.Id));
        Assert.Equal(2, gasTotal);
        Assert.Empty(partial);
        Assert.Equal(0, partialTotal);
    }

    [Fact]
    public async Task TheStakeholderIsListedAsStoredAndAnOlderVersionNeverReplacesANewerOne()
    {
        await Directory.UpsertAsync(Organisation("s-1", version: 3, name: "Grid operator (renamed)", sectors: ["energy-gas"]));
        await Directory.UpsertAsync(Organisation("s-1", version: 2, name: "Grid operator", sectors: ["energy-electricity"]));

        var (page, _) = await Directory.ListAsync(null, 0, 10);
        var (bySector, _) = await Directory.ListAsync("energy-electricity", 0, 10);

        var listed = Assert.Single(page);
        Assert.Equal("Grid operator (renamed)", listed.Name);
        Assert.Equal(3, listed.Version);
        Assert.Equal(["192.0.2.0/24"], listed.Constituency.IpPrefixes);
        Assert.Equal("soc@s-1.example", Assert.Single(listed.Contacts).Email);
        Assert.Empty(bySector);
    }

    [Fact]
    public async Task TheChangeCountGrowsWithEveryChange()
    {
        var before = Directory.ChangeCount;

        await Directory.UpsertAsync(Organisation("s-1"));
        var afterOne = Directory.ChangeCount;
        await Directory.UpsertAsync(Organisation("s-1", version: 2));

        Assert.True(afterOne > before, $"The change count did not grow with a change ({before} then {afterOne}).");
        Assert.True(Directory.ChangeCount > afterOne, $"The change count did not grow with a second change ({afterOne} then {Directory.ChangeCount}).");
    }
}
