using Cirt.Grains.Incidents;
using Cirt.Grains.Security;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Inbox;

/// <summary>
/// The open inbox streams, by principal and by organisation, so that a change reaches exactly the
/// streams it may concern: the cost of a change follows the streams it concerns, not all of them.
/// </summary>
public sealed class InboxSubscribers
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Principal, HashSet<InboxSubscription>> _byPrincipal = [];
    private readonly Dictionary<string, HashSet<Principal>> _operatorsByStakeholder = new(StringComparer.Ordinal);
    private readonly HashSet<Principal> _staff = [];

    /// <summary>Whether no stream is open.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _byPrincipal.Count == 0;
            }
        }
    }

    /// <summary>Whether some CIRT staff member follows an inbox.</summary>
    public bool StaffFollow
    {
        get
        {
            lock (_gate)
            {
                return _staff.Count > 0;
            }
        }
    }

    /// <summary>Whether some operator of <paramref name="stakeholderId"/> follows its inbox.</summary>
    public bool Follows(string stakeholderId)
    {
        lock (_gate)
        {
            return _operatorsByStakeholder.ContainsKey(stakeholderId);
        }
    }

    /// <summary>Opens a mailbox for a stream of <paramref name="principal"/>; disposing it closes it.</summary>
    public InboxSubscription Subscribe(Principal principal)
    {
        var subscription = new InboxSubscription(principal, Unsubscribe);
        lock (_gate)
        {
            if (!_byPrincipal.TryGetValue(principal, out var streams))
            {
                _byPrincipal[principal] = streams = [];
                if (principal.IsCirtStaff)
                {
                    _staff.Add(principal);
                }
                else if (principal.StakeholderId.Length > 0)
                {
                    if (!_operatorsByStakeholder.TryGetValue(principal.StakeholderId, out var principals))
                    {
                        _operatorsByStakeholder[principal.StakeholderId] = principals = [];
                    }

                    principals.Add(principal);
                }
            }

            streams.Add(subscription);
        }

        return subscription;
    }

    /// <summary>Pushes what a changed incident (with its deadlines and tasks) now puts in each inbox it may concern.</summary>
    public void Publish(IncidentSummary incident, DateTimeOffset now)
    {
        lock (_gate)
        {
            foreach (var principal in _staff)
            {
                Push(principal, InboxItems.Of(principal, incident, now));
            }

            foreach (var stakeholderId in InboxItems.StakeholdersConcerned(incident))
            {
                if (_operatorsByStakeholder.TryGetValue(stakeholderId, out var principals))
                {
                    foreach (var principal in principals)
                    {
                        Push(principal, InboxItems.Of(principal, incident, now));
                    }
                }
            }
        }
    }

    /// <summary>Pushes an item to the streams of every operator of <paramref name="stakeholderId"/>.</summary>
    public void PublishToOperators(string stakeholderId, Proto.InboxItem item)
    {
        lock (_gate)
        {
            if (_operatorsByStakeholder.TryGetValue(stakeholderId, out var principals))
            {
                foreach (var principal in principals)
                {
                    Push(principal, [item]);
                }
            }
        }
    }

    /// <summary>Pushes an item to the streams of every CIRT staff member.</summary>
    public void PublishToStaff(Proto.InboxItem item)
    {
        lock (_gate)
        {
            foreach (var principal in _staff)
            {
                Push(principal, [item]);
            }
        }
    }

    private void Push(Principal principal, IEnumerable<Proto.InboxItem> items)
    {
        var streams = _byPrincipal[principal];
        foreach (var item in items)
        {
            foreach (var stream in streams)
            {
                stream.Push(item);
            }
        }
    }

    private void Unsubscribe(InboxSubscription subscription)
    {
        lock (_gate)
        {
            var principal = subscription.Principal;
            if (!_byPrincipal.TryGetValue(principal, out var streams) || !streams.Remove(subscription) || streams.Count > 0)
            {
                return;
            }

            _byPrincipal.Remove(principal);
            _staff.Remove(principal);
            if (_operatorsByStakeholder.TryGetValue(principal.StakeholderId, out var principals) && principals.Remove(principal) && principals.Count == 0)
            {
                _operatorsByStakeholder.Remove(principal.StakeholderId);
            }
        }
    }
}
