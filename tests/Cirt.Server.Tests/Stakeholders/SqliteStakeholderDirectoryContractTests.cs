using Cirt.Grains.Stakeholders;
using Cirt.Server.Storage;
using Cirt.Server.Tests.Storage;

namespace Cirt.Server.Tests.Stakeholders;

public sealed class SqliteStakeholderDirectoryContractTests : StakeholderDirectoryContractTests, IDisposable
{
    private readonly TempSqliteDatabase _file = new();

    public SqliteStakeholderDirectoryContractTests() => Directory = new SqliteStakeholderDirectory(_file.Database);

    protected override IStakeholderDirectory Directory { get; }

    public void Dispose() => _file.Dispose();
}
