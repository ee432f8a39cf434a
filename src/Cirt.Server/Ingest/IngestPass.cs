using System.Globalization;
using System.Net;
using Cirt.Grains.Ingest;
using Google.Protobuf;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Ingest;

/// <summary>
/// One aggregation pass being worked out, chunk after chunk of the log, with no I/O: classifies each
/// event in log order. Resent when its key (producer and producer_event_id) is in the resend window,
/// in the pass still being written, or earlier in this pass: stored nothing. Otherwise stored, and
/// then a duplicate or not (the same feed, type and target within the duplicate window), and either
/// unmatched (no constituency holds it) or aggregated into the delta of its stakeholder's incident
/// of that type and UTC day. Counts all of it per feed.
/// </summary>
/// <param name="after">The log position the pass starts after.</param>
/// <param name="inFlight">The keys of the pass still being written, not in the resend window yet.</param>
/// <param name="fresh">An empty set for the keys of the events this pass stores.</param>
public sealed class IngestPass(long after, HashSet<long>? inFlight, HashSet<long> fresh)
{
    private static readonly HashSet<long> None = [];
    private readonly HashSet<long> _inFlight = inFlight ?? None;
    private readonly Dictionary<string, FeedTotals> _totals = new(StringComparer.Ordinal);
    private readonly List<UnmatchedEvent> _unmatched = [];
    private readonly Dictionary<(string Stakeholder, string RsitClass, string RsitType, DateOnly Day), AggregateBuilder> _aggregates = [];

    /// <summary>The log position the pass has read up to.</summary>
    public long UpTo { get; private set; } = after;

    public int Batches { get; private set; }

    public long Events { get; private set; }

    /// <summary>The keys of the events this pass stores.</summary>
    public HashSet<long> Fresh { get; } = fresh;

    public IReadOnlyDictionary<string, FeedTotals> Totals => _totals;

    public IReadOnlyList<UnmatchedEvent> Unmatched => _unmatched;

    /// <summary>Adds the next batches of the log (in order, after <see cref="UpTo"/>) to the pass.</summary>
    public void Add(IReadOnlyList<DecodedBatch> batches, ConstituencyIndex index, ResendWindow resends, DuplicateWindow duplicates)
    {
        foreach (var batch in batches)
        {
            foreach (var (feed, count) in ParseRejected(batch.Rejected))
            {
                TotalsOf(feed).Rejected += count;
            }

            var events = batch.Events;
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                var totals = TotalsOf(e.Feed);
                var key = batch.Keys[i];
                if (resends.Contains(key) || _inFlight.Contains(key) || !Fresh.Add(key))
                {
                    totals.Resent++;
                    continue;
                }

                var observedAt = e.ObservedAt.ToDateTimeOffset();
                totals.Stored++;
                totals.LastEventAt = Math.Max(totals.LastEventAt, observedAt.ToUnixTimeMilliseconds());
                var duplicate = duplicates.IsDuplicate(e.Feed, e.RsitType, TargetOf(e), observedAt);
                if (duplicate)
                {
                    totals.Duplicates++;
                }

                // Stored events carry addresses in standard form already (checked and canonicalised on the way in).
                var owner = index.Route(e.SourceIp.Length > 0 && IPAddress.TryParse(e.SourceIp, out var source) ? source : null, e.SourceAsn, e.Fqdn);
                if (owner is null)
                {
                    totals.Unmatched++;
                    // Kept encoded until the pass is recorded: far smaller than the decoded event.
                    _unmatched.Add(new UnmatchedEvent(batch.ReceivedAt, batch.Producer, e.Feed, e.ToByteArray()));
                    continue;
                }

                var day = DateOnly.FromDateTime(observedAt.UtcDateTime);
                var aggregateKey = (owner, e.RsitClass, e.RsitType, day);
                if (!_aggregates.TryGetValue(aggregateKey, out var builder))
                {
                    _aggregates[aggregateKey] = builder = new AggregateBuilder(owner, e.RsitClass, e.RsitType, day);
                }

                builder.Add(e, duplicate, batch.Producer);
            }

            UpTo = batch.Seq;
            Batches++;
            Events += events.Count;
        }
    }

    /// <summary>
    /// What the pass leaves to write: its new keys go where <paramref name="placement"/> says; what
    /// it changed in the duplicate window goes into <paramref name="sightings"/> (empty). The window's
    /// runs on disk hold each pass's changes (<paramref name="targetsOnDisk"/> sightings before this
    /// one): once they hold the window's capacity beyond what the window remembers, this pass writes
    /// the whole window instead and the earlier runs go, so that the runs hold at most about twice
    /// the capacity.
    /// </summary>
    public PassRecord Build(ResendWindow.Placement placement, DuplicateWindow duplicates, long targetsOnDisk, TargetSightings sightings)
    {
        duplicates.TakeChanges(sightings);
        var replace = targetsOnDisk + sightings.Count - duplicates.Count >= duplicates.Capacity;
        if (replace)
        {
            sightings.Clear();
            duplicates.CopyTo(sightings);
        }

        return new PassRecord(
            UpTo, Fresh, placement, sightings, replace, replace ? sightings.Count : targetsOnDisk + sightings.Count,
            _unmatched, _totals, _aggregates.Values.Select(b => b.Build(UpTo)).ToArray());
    }

    /// <summary>What "the same target" means for deduplication: the source address, else the FQDN, else the URL, else the identifier.</summary>
    private static string TargetOf(Proto.Event e) =>
        e.SourceIp.Length > 0 ? e.SourceIp : e.Fqdn.Length > 0 ? e.Fqdn : e.Url.Length > 0 ? e.Url : e.Identifier;

    private FeedTotals TotalsOf(string feed)
    {
        if (!_totals.TryGetValue(feed, out var totals))
        {
            _totals[feed] = totals = new FeedTotals();
        }

        return totals;
    }

    private static IEnumerable<(string Feed, long Count)> ParseRejected(string rejected) =>
        rejected.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .Select(parts => (Uri.UnescapeDataString(parts[0]), long.Parse(parts[1], CultureInfo.InvariantCulture)));
}
