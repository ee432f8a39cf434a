using Cirt.Contracts.V1;

namespace Cirt.Server.Tests;

/// <summary>Fresh stakeholders to start from, each with its own id.</summary>
public static class TestStakeholders
{
    public static Stakeholder NewStakeholder(string sector) => new()
    {
        Id = "org-" + Guid.NewGuid().ToString("N")[..12],
        Name = "Test Utility",
        Type = StakeholderType.EssentialServiceOperator,
        Country = "LU",
        Nis2EntityClass = Nis2EntityClass.Essential,
        SectorCodes = { sector },
        Contacts = { new Contact { Name = "SOC", Email = "soc@utility.example", Phone = "+352 1" } },
        Constituency = new Constituency { IpPrefixes = { "192.0.2.0/28" }, Asns = { 64511 }, Domains = { "Utility.Example" } },
    };

    /// <summary>Creates a fresh stakeholder in <paramref name="sector"/> and returns its id.</summary>
    public static async Task<string> CreateAsync(ServerFixture server, string sector)
    {
        var created = await server.Stakeholders().CreateStakeholderAsync(new CreateStakeholderRequest { Stakeholder = NewStakeholder(sector) });
        return created.Stakeholder.Id;
    }
}
