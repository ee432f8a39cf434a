using Cirt.Grains.Security;
using Cirt.Server.Inbox;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Tests.Inbox;

/// <summary>The inbox's mailboxes: a change reaches the streams it concerns, and a stalled stream cannot grow without bound.</summary>
public sealed class InboxSubscribersTests
{
    private static readonly Principal GridcoSoc = new("k1", "soc", Role.Operator, "gridco", "");
    private static readonly Principal BankSoc = new("k2", "soc", Role.Operator, "firstbank", "");
    private static readonly Principal Alice = new("k3", "alice", Role.Analyst, "", "");

    private static Proto.InboxItem Item(int n) => new() { Kind = Proto.InboxItemKind.Advisory, Key = $"advisory:ADV-{n}", Summary = "s" };

    [Fact]
    public void AnItemForAnOrganisationReachesEveryStreamOfItsOperatorsAndNoOneElse()
    {
        var subscribers = new InboxSubscribers();
        using var first = subscribers.Subscribe(GridcoSoc);
        using var second = subscribers.Subscribe(GridcoSoc);
        using var bank = subscribers.Subscribe(BankSoc);
        using var staff = subscribers.Subscribe(Alice);

        subscribers.PublishToOperators("gridco", Item(1));
        subscribers.PublishToStaff(Item(2));

        Assert.Equal(["advisory:ADV-1"], first.TakePending().Select(i => i.Key));
        Assert.Equal(["advisory:ADV-1"], second.TakePending().Select(i => i.Key));
        Assert.Empty(bank.TakePending());
        Assert.Equal(["advisory:ADV-2"], staff.TakePending().Select(i => i.Key));
    }

    [Fact]
    public void AStalledStreamKeepsAtMostItsCapacityAndIsToldItFellBehind()
    {
        var subscribers = new InboxSubscribers();
        using var stalled = subscribers.Subscribe(GridcoSoc);

        for (var n = 0; n < InboxSubscription.Capacity + 100; n++)
        {
            subscribers.PublishToOperators("gridco", Item(n));
        }

        Assert.True(stalled.TakeFellBehind());
        Assert.Equal(InboxSubscription.Capacity, stalled.TakePending().Count());
        Assert.False(stalled.TakeFellBehind());
    }

    [Fact]
    public void AClosedStreamGetsNothingMoreAndTheLastOneClosedLeavesNoOneFollowing()
    {
        var subscribers = new InboxSubscribers();
        var stream = subscribers.Subscribe(GridcoSoc);
        Assert.True(subscribers.Follows("gridco"));

        stream.Dispose();
        subscribers.PublishToOperators("gridco", Item(1));

        Assert.Empty(stream.TakePending());
        Assert.False(subscribers.Follows("gridco"));
        Assert.True(subscribers.IsEmpty);
    }

    [Fact]
    public void AStreamRemembersTheKeysItSentUpToItsCapacity()
    {
        var sent = new RecentKeys(2);

        Assert.True(sent.Add("a"));
        Assert.False(sent.Add("a"));
        Assert.True(sent.Add("b"));
        Assert.True(sent.Add("c")); // "a" is forgotten
        Assert.True(sent.Add("a"));
        Assert.False(sent.Add("c"));
    }
}
