using Azure.Data.Tables;
using Cirt.Server.Backup;
using Cirt.Server.Storage;
using Cirt.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cirt.Server.Tests.Cluster;

/// <summary>
/// What the cluster profile says where the embedded one looks at its files: online backup points to
/// PostgreSQL's and Azure Storage's own tools, and storage health is whether both answer.
/// </summary>
public sealed class ClusterBackupAndHealthTests
{
    [Fact]
    public async Task AnOnlineBackupInTheClusterProfileIsRefusedSayingHowToBackUpInstead()
    {
        var backup = new OnlineBackup(new CirtOptions { Storage = StorageProfile.Cluster }, new ServiceCollection().BuildServiceProvider(), NullLogger<OnlineBackup>.Instance);

        var refused = await Assert.ThrowsAsync<BackupRefusedException>(() => backup.TakeAsync(null, CancellationToken.None));

        Assert.Equal(BackupRefusal.StoredElsewhere, refused.Reason);
        Assert.Contains("pg_dump", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Azure Storage", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StorageIsHealthyWhilePostgreSqlAndAzureStorageAnswer()
    {
        await ClusterServices.EnsureAzuriteAsync();
        await using var database = await ClusterServices.CreateDatabaseAsync("cirtprobe");
        using var postgres = PostgresDatabase.Open(database.ConnectionString, Path.Combine(AppContext.BaseDirectory, "sql", "postgresql"));
        var probe = new ClusterStorageProbe(postgres, new TableServiceClient(ClusterServices.AzureStorage), "cirtmembership");

        Assert.Empty(await probe.ProblemsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task StorageIsUnhealthyNamingTheServiceThatDoesNotAnswer()
    {
        await ClusterServices.EnsureAzuriteAsync();
        await using var database = await ClusterServices.CreateDatabaseAsync("cirtprobe");
        using var postgres = PostgresDatabase.Open(database.ConnectionString, Path.Combine(AppContext.BaseDirectory, "sql", "postgresql"));
        var closed = LoopbackPorts.Next();
        var unreachable = new TableServiceClient(ClusterServices.AzureStorage.Replace(":10012/", $":{closed}/", StringComparison.Ordinal),
            new TableClientOptions { Retry = { MaxRetries = 0 } });
        var probe = new ClusterStorageProbe(postgres, unreachable, "cirtmembership");

        var problem = Assert.Single(await probe.ProblemsAsync(CancellationToken.None));
        Assert.StartsWith("Azure Storage (ConnectionStrings:AzureStorage) does not answer", problem, StringComparison.Ordinal);
    }
}
