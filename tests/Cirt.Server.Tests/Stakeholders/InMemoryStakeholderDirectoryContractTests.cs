using Cirt.Grains.Stakeholders;
using Cirt.Server.Storage;

namespace Cirt.Server.Tests.Stakeholders;

public sealed class InMemoryStakeholderDirectoryContractTests : StakeholderDirectoryContractTests
{
    protected override IStakeholderDirectory Directory { get; } = new InMemoryStakeholderDirectory();
}
