using Cirt.Grains.Incidents;
using Cirt.Server.Storage;

namespace Cirt.Server.Tests.Storage;

/// <summary>The queue contract on the memory profile's read model (it sorts in memory; the contract is the same).</summary>
public sealed class InMemoryIncidentQueueContractTests : IncidentQueueContractTests
{
    protected override IIncidentQueue Queue { get; } = new InMemoryIncidentQueue();
}
