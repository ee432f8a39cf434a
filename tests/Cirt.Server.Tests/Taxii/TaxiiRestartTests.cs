using Cirt.Server.Extensions;
using Cirt.Server.Taxii;

namespace Cirt.Server.Tests.Taxii;

/// <summary>A server of its own, restarted: what a partner's tool holds (dates added, a next token) stays good.</summary>
public sealed class TaxiiRestartTests : IAsyncLifetime
{
    private const string Partner = "taxii-restart";

    private readonly ServerFixture _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task DatesAndNextTokensHoldAcrossARestart()
    {
        var key = await TaxiiPartners.RegisterAsync(_server, Partner);
        for (var i = 1; i <= 3; i++)
        {
            await TaxiiPartners.PublishAdvisoryAsync(_server, Partner, $"Restart advisory {i}", indicator: $"192.0.2.{i}");
        }

        var objects = $"/taxii2/cirt/collections/{TaxiiCollectionId.For(Partner):D}/objects/";
        var manifest = $"/taxii2/cirt/collections/{TaxiiCollectionId.For(Partner):D}/manifest/";
        string next;
        string before;
        string rest;
        using (var taxii = new TaxiiClient(_server.HttpAddress))
        {
            next = (await taxii.ReadAsync(objects + "?limit=5", TaxiiClient.Basic(Partner, key)))["next"]!.GetValue<string>();
            before = (await taxii.ReadAsync(manifest + "?limit=500", TaxiiClient.Basic(Partner, key))).ToJsonString();
            rest = (await taxii.ReadAsync(objects + "?limit=500&next=" + Uri.EscapeDataString(next), TaxiiClient.Basic(Partner, key))).ToJsonString();
        }

        await _server.StopAsync();
        await _server.StartAsync();

        using var again = new TaxiiClient(_server.HttpAddress);
        Assert.Equal(before, (await again.ReadAsync(manifest + "?limit=500", TaxiiClient.Basic(Partner, key))).ToJsonString());
        Assert.Equal(rest, (await again.ReadAsync(objects + "?limit=500&next=" + Uri.EscapeDataString(next), TaxiiClient.Basic(Partner, key))).ToJsonString());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_server.DataDirectory, TaxiiExtensions.NextTokenKeyFile)));
        }
    }
}
