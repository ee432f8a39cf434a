using System.Runtime.InteropServices;
using Cirt.Grains.Incidents;
using Cirt.Grains.Ingest;
using Cirt.Grains.Taxonomy;
using Cirt.Server.Api;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Ingest;

/// <summary>
/// What one pass adds to one aggregate (stakeholder, RSIT class and type, UTC day): its events and
/// duplicates, a few sample observables, malware families and feeds, and the most restrictive TLP
/// of its events, how many events each feed and producing key brought, when the earliest of them
/// was observed and the most severe of their severities (<see cref="AutomatedSeverity"/>).
/// </summary>
public sealed class AggregateBuilder(string stakeholderId, string rsitClass, string rsitType, DateOnly day)
{
    /// <summary>Sample observables one pass brings at most (the incident keeps a bounded number).</summary>
    public const int ObservablesPerPass = 50;

    private readonly List<Observable> _observables = [];
    private readonly HashSet<string> _malware = new(StringComparer.Ordinal);
    private readonly HashSet<string> _feeds = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Feed, string Producer), long> _sources = [];
    private long _new;
    private long _duplicates;
    private Tlp _tlp = Tlp.Clear;
    private DateTimeOffset _firstObservedAt = DateTimeOffset.MaxValue;
    private Severity _severity = Severity.Unspecified;

    /// <summary>Counts event <paramref name="e"/>, published by <paramref name="producer"/>.</summary>
    public void Add(Proto.Event e, bool duplicate, string producer)
    {
        _new++;
        CollectionsMarshal.GetValueRefOrAddDefault(_sources, (e.Feed, producer), out _)++;
        if (duplicate)
        {
            _duplicates++;
        }

        _feeds.Add(e.Feed);
        var observedAt = e.ObservedAt.ToDateTimeOffset();
        if (observedAt < _firstObservedAt)
        {
            _firstObservedAt = observedAt;
        }

        // The event's own severity, or its feed's (stamped on it when it was accepted), else the table's.
        _severity = AutomatedSeverity.MostSevere(_severity, AutomatedSeverity.Of(rsitClass, rsitType, CommonMapping.ToDomain(e.Severity)));
        if (e.MalwareFamily.Length > 0)
        {
            _malware.Add(e.MalwareFamily);
        }

        _tlp = AutomatedTlp.MostRestrictive(_tlp, e.Tlp == Proto.Tlp.Unspecified ? AutomatedTlp.Unlabelled : CommonMapping.ToDomain(e.Tlp));
        if (!duplicate && _observables.Count < ObservablesPerPass)
        {
            if (e.SourceIp.Length > 0)
            {
                _observables.Add(new Observable(ObservableType.IpAddress, e.SourceIp, $"{e.Feed}: {e.MalwareFamily}".TrimEnd(' ', ':')));
            }
            else if (e.Fqdn.Length > 0)
            {
                _observables.Add(new Observable(ObservableType.Domain, e.Fqdn, e.Feed));
            }
        }
    }

    /// <summary>The aggregate's delta, counting up to log position <paramref name="upTo"/>.</summary>
    public EventAggregate Build(long upTo) => new(
        stakeholderId, rsitClass, rsitType, day, upTo, _new, _duplicates, _observables.ToArray(),
        _malware.Order(StringComparer.Ordinal).ToArray(), _feeds.Order(StringComparer.Ordinal).ToArray(), _tlp)
    {
        Sources = _sources.Select(p => new AutomatedSource(p.Key.Feed, p.Key.Producer, p.Value)).ToArray(),
        FirstObservedAt = _firstObservedAt,
        Severity = _severity,
    };
}
