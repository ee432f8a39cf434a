using Cirt.Server.Idempotency;

namespace Cirt.Server.Tests.Idempotency;

public sealed class InMemoryRequestLedgerContractTests : RequestLedgerContractTests
{
    protected override IRequestLedger Ledger { get; } = new InMemoryRequestLedger();
}
