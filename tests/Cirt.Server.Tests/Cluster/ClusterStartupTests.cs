using Cirt.Tests;

namespace Cirt.Server.Tests.Cluster;

/// <summary>
/// A cluster-profile server whose Azure Storage account is missing, malformed, unreachable or named
/// wrongly refuses to start, one sentence each naming the setting, before any silo is built.
/// </summary>
public sealed class ClusterStartupTests
{
    private static StartupRefusedException Refused(params string[] settings)
    {
        var data = Path.Combine(Path.GetTempPath(), "cirt-cluster-start-" + Guid.NewGuid().ToString("N"));
        return Assert.Throws<StartupRefusedException>(() => CirtServer.Build(
            ["--Cirt:DataDirectory", data, "--Cirt:Storage", "Cluster", "--ConnectionStrings:Postgres", ClusterServices.PostgresServer, .. settings]));
    }

    [Fact]
    public void AMissingAzureStorageConnectionStringIsNamed()
    {
        // Empty on the command line: tests/run.sh sets ConnectionStrings__AzureStorage in the environment.
        var refused = Refused("--ConnectionStrings:AzureStorage", "");

        Assert.Contains(refused.Problems, p => p.StartsWith("Cirt:Storage=Cluster needs ConnectionStrings:AzureStorage", StringComparison.Ordinal));
    }

    [Fact]
    public void AnAzureStorageConnectionStringThatIsNotOneIsNamed()
    {
        var refused = Refused("--ConnectionStrings:AzureStorage", "Server=127.0.0.1;Database=cirt");

        var problem = Assert.Single(refused.Problems);
        Assert.StartsWith("ConnectionStrings:AzureStorage is not an Azure Storage connection string", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAzureStorageAccountThatDoesNotAnswerIsNamed()
    {
        var closed = LoopbackPorts.Next();
        var unreachable = ClusterServices.AzureStorage.Replace(":10012/", $":{closed}/", StringComparison.Ordinal);

        var refused = Refused("--ConnectionStrings:AzureStorage", unreachable);

        var problem = Assert.Single(refused.Problems);
        Assert.StartsWith($"ConnectionStrings:AzureStorage: the account at http://127.0.0.1:{closed}/", problem, StringComparison.Ordinal);
        Assert.Contains("does not answer", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ATableNameAzureWouldRejectIsNamed()
    {
        var refused = Refused("--ConnectionStrings:AzureStorage", ClusterServices.AzureStorage, "--Cirt:Cluster:MembershipTable", "cirt-members");

        Assert.Contains(refused.Problems, p => p.StartsWith("Cirt:Cluster:MembershipTable must be an Azure Table name", StringComparison.Ordinal));
    }
}
