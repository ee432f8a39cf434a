using System.Collections.Concurrent;
using Cirt.Grains.Advisories;
using Cirt.Grains.Incidents;
using Cirt.Grains.Partners;

namespace Cirt.Grains.Tests.Advisories;

/// <summary>
/// The outbox as the advisory and incident grains see it, for grain tests: records every call and
/// answers each partner with a queued message (one id per item version, action and partner, and for
/// an incident's note or status change its id, as the real outbox is idempotent).
/// <see cref="FailNextCallFor"/> makes the next call for an advisory or incident throw, as an
/// unreachable outbox would; <see cref="RefuseIncidentsFor"/> makes a partner's agreement refuse incidents.
/// </summary>
public sealed class RecordingShareQueue : IShareQueue
{
    private readonly ConcurrentQueue<ShareCall> _calls = new();
    private readonly ConcurrentDictionary<string, int> _failing = new();
    private readonly ConcurrentQueue<IncidentShareCall> _incidentCalls = new();
    private readonly ConcurrentDictionary<string, string> _refusing = new();

    /// <summary>A call the grains made.</summary>
    public sealed record ShareCall(string AdvisoryId, long Version, ShareAction Action, string[] PartnerIds, string Actor, bool Failed, Advisory Advisory);

    /// <summary>The calls made for <paramref name="advisoryId"/>, oldest first.</summary>
    public ShareCall[] CallsFor(string advisoryId) => _calls.Where(c => c.AdvisoryId == advisoryId).ToArray();

    /// <summary>The next call for <paramref name="advisoryId"/> (or an incident's tracking id) throws.</summary>
    public void FailNextCallFor(string advisoryId) => _failing[advisoryId] = 1;

    /// <summary>A call an incident grain made.</summary>
    public sealed record IncidentShareCall(string TrackingId, long Version, ShareAction Action, string[] PartnerIds, IncidentFollowUp? FollowUp, string Actor, bool Failed);

    /// <summary>The calls made for incident <paramref name="trackingId"/>, oldest first.</summary>
    public IncidentShareCall[] IncidentCallsFor(string trackingId) => _incidentCalls.Where(c => c.TrackingId == trackingId).ToArray();

    /// <summary>From now on partner <paramref name="partnerId"/>'s agreement refuses incidents, saying <paramref name="reason"/>.</summary>
    public void RefuseIncidentsFor(string partnerId, string reason) => _refusing[partnerId] = reason;

    public static string MessageId(string advisoryId, long version, ShareAction action, string partnerId) =>
        $"{advisoryId}/{version}/{action}/{partnerId}";

    public Task<ShareOutcome[]> ShareAdvisoryAsync(Advisory advisory, ShareAction action, IReadOnlyList<string> partnerIds, string actor)
    {
        var fail = _failing.TryRemove(advisory.Id, out _);
        _calls.Enqueue(new ShareCall(advisory.Id, advisory.Version, action, [.. partnerIds], actor, fail, advisory));
        if (fail)
        {
            return Task.FromException<ShareOutcome[]>(new IOException("The outbox is unreachable (a test made it fail)"));
        }

        return Task.FromResult(partnerIds
            .Select(p => new ShareOutcome(p, MessageId(advisory.Id, advisory.Version, action, p), OutboxState.Queued, advisory.Version, ""))
            .ToArray());
    }

    public Task<ShareOutcome[]> ShareIncidentAsync(Incident incident, ShareAction action, IReadOnlyList<string> partnerIds, IncidentFollowUp? followUp, string actor)
    {
        var fail = _failing.TryRemove(incident.TrackingId, out _);
        _incidentCalls.Enqueue(new IncidentShareCall(incident.TrackingId, incident.Version, action, [.. partnerIds], followUp, actor, fail));
        if (fail)
        {
            return Task.FromException<ShareOutcome[]>(new IOException("The outbox is unreachable (a test made it fail)"));
        }

        var version = followUp?.Version ?? incident.Version;
        return Task.FromResult(partnerIds
            .Select(p => _refusing.TryGetValue(p, out var reason)
                ? new ShareOutcome(p, "", null, version, reason)
                : new ShareOutcome(p, MessageId(incident.TrackingId, version, action, p) + (followUp is null ? "" : "/" + followUp.Id), OutboxState.Queued, version, ""))
            .ToArray());
    }

    public Task<IReadOnlyDictionary<string, OutboxState>> StatesAsync(IReadOnlyCollection<string> messageIds) =>
        Task.FromResult<IReadOnlyDictionary<string, OutboxState>>(messageIds.ToDictionary(id => id, _ => OutboxState.Queued));
}
