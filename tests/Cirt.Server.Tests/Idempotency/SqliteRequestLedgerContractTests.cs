using Cirt.Server.Idempotency;
using Cirt.Server.Tests.Storage;

namespace Cirt.Server.Tests.Idempotency;

public sealed class SqliteRequestLedgerContractTests : RequestLedgerContractTests, IDisposable
{
    private readonly TempSqliteDatabase _file = new();

    public SqliteRequestLedgerContractTests() => Ledger = new SqliteRequestLedger(_file.Database);

    protected override IRequestLedger Ledger { get; }

    public void Dispose() => _file.Dispose();
}
