using System.Security.Cryptography;
using Cirt.Contracts.V1;

namespace Cirt.Server.Tests.Federation;

/// <summary>This instance's identity towards partners: made at first start, kept in files only the server's user can read, the same after a restart.</summary>
public sealed class IdentityTests : IAsyncLifetime
{
    private readonly ServerFixture _server = Federations.Server("cirt-be.national", "BE");

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task TheIdentityNamesThisInstanceAndItsKeyKeptInFilesOnlyTheServerCanReadAcrossRestarts()
    {
        var identity = await _server.Partners(_server.AnalystKey).GetLocalIdentityAsync(new GetLocalIdentityRequest());

        Assert.Equal(("cirt-be.national", "BE", _server.Address, _server.HttpAddress + "/taxii2/"), (identity.InstanceId, identity.Country, identity.EndpointUrl, identity.TaxiiUrl));
        using (var key = ECDsa.Create())
        {
            key.ImportFromPem(identity.PublicKey);
            Assert.Equal(256, key.KeySize);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo())), identity.Fingerprint);
        }

        foreach (var file in new[] { "federation-signing-key.pem", "federation-pseudonym.key" })
        {
            var path = Path.Combine(_server.DataDirectory, file);
            Assert.True(File.Exists(path), file);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }

        await _server.StopAsync();
        await _server.StartAsync();

        var again = await _server.Partners(_server.AnalystKey).GetLocalIdentityAsync(new GetLocalIdentityRequest());
        Assert.Equal((identity.PublicKey, identity.Fingerprint), (again.PublicKey, again.Fingerprint));
        await RpcAssert.FailsWith(Grpc.Core.StatusCode.PermissionDenied, () => _server.Partners(_server.GridcoKey).GetLocalIdentityAsync(new GetLocalIdentityRequest()).ResponseAsync);
    }
}
