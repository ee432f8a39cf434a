using Cirt.Grains.Common;
using System.Diagnostics.Metrics;

namespace Cirt.Server.Ingest;

/// <summary>Ingest rates: counted for the stats RPC (per-second buckets over the last minute) and as metrics (meter "Cirt.Ingest").</summary>
public sealed class IngestMeter
{
    public const string MeterName = "Cirt.Ingest";
    private const int Seconds = 60;

    private readonly long[] _buckets = new long[Seconds];
    private readonly long[] _bucketSecond = new long[Seconds];
    private readonly Counter<long> _stored;
    private readonly Counter<long> _rejected;
    private readonly Histogram<double> _ackLatency;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _unmatched;
    private readonly Counter<long> _resent;
    private readonly CirtClock _clock;

    public IngestMeter(IMeterFactory meters, CirtClock clock)
    {
        _clock = clock;
        var meter = meters.Create(MeterName);
        _stored = meter.CreateCounter<long>("cirt.ingest.events_stored", description: "Events acknowledged as durable");
        _rejected = meter.CreateCounter<long>("cirt.ingest.events_rejected", description: "Events refused by validation");
        _ackLatency = meter.CreateHistogram<double>("cirt.ingest.ack_latency", unit: "ms", description: "From receiving a batch to acknowledging it");
        _duplicates = meter.CreateCounter<long>("cirt.ingest.events_duplicate", description: "Stored events that repeat the feed, type and target of one within the duplicate window (counted when aggregated)");
        _unmatched = meter.CreateCounter<long>("cirt.ingest.events_unmatched", description: "Stored events no stakeholder's constituency holds (counted when aggregated)");
        _resent = meter.CreateCounter<long>("cirt.ingest.events_resent", description: "Events recognised as resent: acknowledged again, stored nothing (counted when aggregated)");
    }

    public void Stored(int events)
    {
        _stored.Add(events);
        var second = _clock.GetUtcNow().ToUnixTimeSeconds();
        var slot = (int)(second % Seconds);
        lock (_buckets)
        {
            if (_bucketSecond[slot] != second)
            {
                _bucketSecond[slot] = second;
                _buckets[slot] = 0;
            }

            _buckets[slot] += events;
        }
    }

    public void Rejected(int events) => _rejected.Add(events);

    /// <summary>Counts what an aggregation pass found, once it is on disk.</summary>
    public void Aggregated(IEnumerable<FeedTotals> feeds)
    {
        foreach (var feed in feeds)
        {
            _duplicates.Add(feed.Duplicates);
            _unmatched.Add(feed.Unmatched);
            _resent.Add(feed.Resent);
        }
    }

    public void Acknowledged(TimeSpan latency) => _ackLatency.Record(latency.TotalMilliseconds);

    /// <summary>Events stored per second, averaged over the last full minute.</summary>
    public double EventsPerSecond()
    {
        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        long total = 0;
        lock (_buckets)
        {
            for (var i = 0; i < Seconds; i++)
            {
                if (now - _bucketSecond[i] is > 0 and <= Seconds)
                {
                    total += _buckets[i];
                }
            }
        }

        return total / (double)Seconds;
    }
}
