using Cirt.Server.Federation;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Tests.Federation;

/// <summary>The federation store contract on a real federation.db, and what only the file shows: claims of an earlier process are dropped when it is opened.</summary>
public sealed class SqliteFederationStoreContractTests : FederationStoreContractTests, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cirt-federation-" + Guid.NewGuid().ToString("N"));
    private FederationStore _store;

    public SqliteFederationStoreContractTests() => _store = FederationStore.Create(_directory);

    protected override IFederationStore Store => _store;

    [Fact]
    public async Task AClaimLeftByAnEarlierProcessIsDroppedWhenTheFileIsOpened()
    {
        await _store.ClaimDeliveryAsync("cirt-de", "killed-process", TimeSpan.FromHours(1));
        _store.Dispose();
        _store = FederationStore.Create(_directory);

        var claim = await _store.ClaimDeliveryAsync("cirt-de", "new-process", TimeSpan.FromMinutes(1));

        Assert.True(claim.IsHeldBy("new-process"));
    }

    public void Dispose()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
