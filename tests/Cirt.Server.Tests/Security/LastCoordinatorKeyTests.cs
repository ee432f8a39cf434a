using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Security;

/// <summary>The last active coordinator key cannot be revoked; a lost one is replaced through a recovery request file, never a key on a command line.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LastCoordinatorKeyTests
{
    private static async Task<string> KeyIdOf(ServerFixture server, string apiKey) =>
        (await server.Keys(apiKey).WhoAmIAsync(new WhoAmIRequest())).Key.KeyId;

    [Fact]
    public async Task RevokingTheLastActiveCoordinatorKeyIsRefusedAndTheKeyKeepsWorking()
    {
        var server = new ServerFixture { Storage = "Memory" };
        await server.InitializeAsync();
        try
        {
            var bootstrap = await KeyIdOf(server, server.CoordinatorKey);

            var refused = await RpcAssert.FailsWith(StatusCode.FailedPrecondition,
                () => server.Keys().RevokeKeyAsync(new RevokeKeyRequest { KeyId = bootstrap }).ResponseAsync);

            Assert.Contains("last active coordinator key", refused.Status.Detail, StringComparison.Ordinal);
            Assert.Contains("recovery-coordinator.request", refused.Status.Detail, StringComparison.Ordinal);
            var listed = (await server.Keys().ListKeysAsync(new ListKeysRequest())).Keys.Single(k => k.KeyId == bootstrap);
            Assert.Null(listed.RevokedAt);

            // With a second coordinator, the first may go; then the second is the last.
            var second = await server.IssueKeyAsync("deputy", Role.Coordinator);
            await server.Keys(second).RevokeKeyAsync(new RevokeKeyRequest { KeyId = bootstrap });
            await RpcAssert.FailsWith(StatusCode.Unauthenticated, () => server.Keys(server.CoordinatorKey).WhoAmIAsync(new WhoAmIRequest()).ResponseAsync);
            await RpcAssert.FailsWith(StatusCode.FailedPrecondition,
                async () => await server.Keys(second).RevokeKeyAsync(new RevokeKeyRequest { KeyId = await KeyIdOf(server, second) }));
            Assert.Equal(Role.Coordinator, (await server.Keys(second).WhoAmIAsync(new WhoAmIRequest())).Key.Role);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ARecoveryRequestFileYieldsANewCoordinatorKeyInTheBootstrapFileAndIsDeleted()
    {
        var server = new ServerFixture();
        await server.InitializeAsync();
        try
        {
            var keyFile = Path.Combine(server.DataDirectory, "bootstrap-coordinator.key");
            var request = Path.Combine(server.DataDirectory, "recovery-coordinator.request");
            await server.StopAsync();
            await File.WriteAllTextAsync(request, "");

            await server.StartAsync();

            var recovered = (await File.ReadAllTextAsync(keyFile)).Trim();
            Assert.NotEqual(server.CoordinatorKey, recovered);
            Assert.False(File.Exists(request), "the recovery request file is still there");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
            var whoami = (await server.Keys(recovered).WhoAmIAsync(new WhoAmIRequest())).Key;
            Assert.Equal((Role.Coordinator, "recovery"), (whoami.Role, whoami.Name));
            // The recovered coordinator can now retire the old key; a restart without the file issues nothing more.
            await server.Keys(recovered).RevokeKeyAsync(new RevokeKeyRequest { KeyId = await KeyIdOf(server, server.CoordinatorKey) });
            await server.StopAsync();
            await server.StartAsync();
            Assert.Equal(recovered, (await File.ReadAllTextAsync(keyFile)).Trim());
            Assert.Equal(2, (await server.Keys(recovered).ListKeysAsync(new ListKeysRequest())).Keys.Count(k => k.Role == Role.Coordinator));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
