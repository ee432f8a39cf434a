using Cirt.Server.Idempotency;
using Cirt.Server.Tests.Storage;

namespace Cirt.Server.Tests.Idempotency;

public sealed class PostgresRequestLedgerContractTests : RequestLedgerContractTests, IAsyncLifetime
{
    private PostgresTestSilos? _silos;
    private IRequestLedger? _ledger;

    protected override IRequestLedger Ledger => _ledger!;

    public async Task InitializeAsync()
    {
        _silos = await PostgresTestSilos.CreateAsync("cirtledger");
        _ledger = new PostgresRequestLedger(_silos.Open());
    }

    public async Task DisposeAsync() => await _silos!.DisposeAsync();
}
