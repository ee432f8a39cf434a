using Cirt.Contracts.V1;
using Cirt.Server.Tests.Federation;

namespace Cirt.Server.Tests.Incidents;

/// <summary>
/// Two Cirt servers in this process, "cirt-fr" (FR) and "cirt-de" (DE), each with its own data
/// folder, introduced to each other through the public API only, each agreement covering incidents
/// and advisories up to TLP:AMBER, every sector, with indicators and no personal data.
/// </summary>
public sealed class IncidentPartners : IAsyncLifetime
{
    public const string France = "cirt-fr";
    public const string Germany = "cirt-de";

    public ServerFixture Fr { get; } = Federations.Server(France, "FR");

    public ServerFixture De { get; } = Federations.Server(Germany, "DE");

    public static SharingAgreement Agreement()
    {
        var agreement = Federations.Agreement(Tlp.Amber);
        agreement.Kinds.Add(SharedItemKind.Incident);
        return agreement;
    }

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Fr.InitializeAsync(), De.InitializeAsync());
        await Federations.IntroduceAsync(Fr, De, Agreement(), Agreement());
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(Fr.DisposeAsync(), De.DisposeAsync());
    }
}
