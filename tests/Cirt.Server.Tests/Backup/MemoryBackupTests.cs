using Cirt.Contracts.V1;
using Grpc.Core;

namespace Cirt.Server.Tests.Backup;

/// <summary>A server that keeps its data in memory has nothing on disk to back up, and says so.</summary>
public sealed class MemoryBackupTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new() { Storage = "Memory" };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task ABackupOfAServerInMemoryIsAFailedPrecondition()
    {
        var refused = await RpcAssert.FailsWith(StatusCode.FailedPrecondition,
            () => new AdminService.AdminServiceClient(_server.Invoker(_server.CoordinatorKey)).BackupAsync(new BackupRequest()).ResponseAsync);

        Assert.Contains("Cirt:Storage=Memory", refused.Status.Detail);
        Assert.False(Directory.Exists(Path.Combine(_server.DataDirectory, "backups")));
    }
}
