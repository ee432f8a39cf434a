using Cirt.Grains.Common;
using Cirt.Grains.Playbooks;
using Cirt.Grains.Sectors;
using Cirt.Grains.Stakeholders;
using Cirt.Server.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Xunit.Abstractions;

namespace Cirt.Grains.Tests.AzureCluster;

/// <summary>
/// The largest state a grain can hold, in Orleans' binary format as the cluster profile stores it,
/// against what an Azure Table entity takes (Orleans' Table provider: 983,040 bytes): a state that
/// can grow past it is kept in Blob storage (<see cref="ClusterGrainStorage"/>). The incident is
/// measured in <see cref="AzureClusterStorageTests"/>. Figures in docs/cluster.md.
/// </summary>
public sealed class LargestStateTests(ITestOutputHelper output)
{
    private const int TableEntityBytes = 983_040;

    private static readonly DateTimeOffset When = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Serializer _serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    private int Measure<T>(string stateName, T state)
    {
        var bytes = _serializer.SerializeToArray(state).Length;
        output.WriteLine($"{stateName}: {bytes:N0} bytes at its limits; kept in {(ClusterGrainStorage.InBlob(stateName) ? "Blob" : "Table")}");
        return bytes;
    }

    [Fact]
    public void AStakeholderWithAFullConstituencyOutgrowsATableEntityAndIsKeptInBlobs()
    {
        // Domains of the longest DNS allows (253 characters: three labels of 63, one of 61).
        var domains = Enumerable.Range(0, Limits.ConstituencyEntries)
            .Select(i => $"{i:D5}{new string('a', 58)}.{new string('b', 63)}.{new string('c', 63)}.{new string('d', 56)}.example").ToArray();
        var contacts = Enumerable.Range(0, Limits.ContactsPerStakeholder)
            .Select(i => new Contact(new string('n', Limits.NameLength), "CISO", $"c{i}@" + new string('e', 300), "+352 20 00 00 99", When)).ToArray();
        var state = new StakeholderState
        {
            Stakeholder = new Stakeholder("gridco", "GridCo", StakeholderType.GovernmentAgency, ["energy"], "LU", Nis2EntityClass.Essential,
                contacts, new Constituency([], [], domains), 1, When, When, "marie"),
        };

        Assert.True(Measure("stakeholder", state) > TableEntityBytes);
        Assert.True(ClusterGrainStorage.InBlob("stakeholder"));
    }

    [Fact]
    public void ASectorOfTenThousandStakeholdersIsKeptInBlobs()
    {
        var state = new SectorState { StakeholderIds = new SortedSet<string>(Enumerable.Range(0, 10_000).Select(i => $"stakeholder-{i:D5}-" + new string('s', Limits.IdLength - 18)), StringComparer.Ordinal) };

        var bytes = Measure("sector", state);

        Assert.True(bytes > TableEntityBytes / 2, $"{bytes:N0} bytes: half a Table entity with room to grow.");
        Assert.True(ClusterGrainStorage.InBlob("sector"));
    }

    [Fact]
    public void AFullPlaybookFitsATableEntity()
    {
        var state = new PlaybookState
        {
            Playbook = new Playbook("malicious-code",
                Enumerable.Range(0, Limits.StepsPerPlaybook).Select(i => new PlaybookStep(new string('t', Limits.NameLength), StepAssignee.Cirt, TimeSpan.FromHours(i))).ToArray(),
                1, When, "marie"),
        };

        Assert.True(Measure("playbook", state) < TableEntityBytes);
        Assert.False(ClusterGrainStorage.InBlob("playbook"));
    }
}
