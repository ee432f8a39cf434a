namespace Cirt.Server.Tests.Federation;

/// <summary>
/// Two Cirt servers in this process, each with its own data folder, instance id and country, on
/// fixed loopback ports (so that each comes back at the same address after a restart), introduced to
/// each other through the public API only: "cirt-fr" (FR) and "cirt-de" (DE).
/// </summary>
public sealed class TwoInstances : IAsyncLifetime
{
    public const string France = "cirt-fr";
    public const string Germany = "cirt-de";

    public ServerFixture Fr { get; } = Federations.Server(France, "FR", FreePort.Next());

    public ServerFixture De { get; } = Federations.Server(Germany, "DE", FreePort.Next());

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Fr.InitializeAsync(), De.InitializeAsync());
        await Federations.IntroduceAsync(Fr, De);
    }

    /// <summary>Starts whichever server a test left stopped (a test that failed midway does not take the next ones with it).</summary>
    public async Task RunningAsync()
    {
        foreach (var server in new[] { Fr, De })
        {
            try
            {
                _ = server.Services;
            }
            catch (InvalidOperationException)
            {
                await server.StartAsync();
            }
        }
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(Fr.DisposeAsync(), De.DisposeAsync());
    }
}
