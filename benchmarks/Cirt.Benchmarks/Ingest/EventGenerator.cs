using Cirt.Contracts.V1;
using Google.Protobuf.WellKnownTypes;

namespace Cirt.Benchmarks.Ingest;

/// <summary>
/// Realistic automated events for a constituency of <see cref="Stakeholders"/> organisations, each
/// owning a /20: about 30 % repeat an earlier event's feed, type and target (duplicates), about 5 %
/// come from addresses nobody owns (unmatched). It keeps the exact expectations to verify against.
/// </summary>
public sealed class EventGenerator(int stakeholders, int seed)
{
    private static readonly (string Feed, string Class, string Type, string Malware)[] Kinds =
    [
        ("honeypot-ssh", "intrusion-attempts", "brute-force", ""),
        ("sinkhole-botnet", "malicious-code", "infected-system", "mirai"),
        ("scan-feed", "information-gathering", "scanner", ""),
        ("sinkhole-botnet", "malicious-code", "infected-system", "emotet"),
    ];

    /// <summary>The feeds the events name: the producer's key must be granted each.</summary>
    public static IReadOnlyList<string> Feeds { get; } = Kinds.Select(k => k.Feed).Distinct().ToArray();

    private readonly Random _random = new(seed);
    private readonly List<Event> _recent = new(4096);
    private readonly int[] _nextHost = new int[stakeholders];
    private readonly HashSet<(int Stakeholder, string Type, DateOnly Day)> _aggregates = [];
    private readonly HashSet<(string Feed, string Type, string Target)> _seen = [];
    private int _nextUnmatched;
    private long _sequence;

    public int Stakeholders { get; } = stakeholders;

    public long Generated { get; private set; }

    public long Duplicates { get; private set; }

    public long Unmatched { get; private set; }

    /// <summary>Distinct feed/type/target combinations generated so far.</summary>
    public long DistinctTargets => _seen.Count;

    public long[] RoutedPerStakeholder { get; } = new long[stakeholders];

    public int ExpectedIncidents => _aggregates.Count;

    /// <summary>Stakeholder i owns 10.(i / 16).((i % 16) * 16).0/20.</summary>
    public static string PrefixOf(int i) => $"10.{i / 16}.{i % 16 * 16}.0/20";

    public static string IdOf(int i) => $"bench-{i:D4}";

    public EventBatch Batch(string producerTag, int size)
    {
        var batch = new EventBatch { BatchId = $"{producerTag}-{_sequence}" };
        for (var i = 0; i < size; i++)
        {
            batch.Events.Add(Next(producerTag));
        }

        return batch;
    }

    private Event Next(string producerTag)
    {
        var id = $"{producerTag}-{_sequence++}";
        var observedAt = DateTimeOffset.UtcNow.AddSeconds(-_random.Next(1, 600));
        Event e;
        var roll = _random.NextDouble();
        if (roll < 0.30 && _recent.Count > 0)
        {
            // The same feed, type and target again, within the duplicate window.
            var earlier = _recent[_random.Next(_recent.Count)];
            e = earlier.Clone();
            e.ProducerEventId = id;
            e.ObservedAt = Timestamp.FromDateTimeOffset(observedAt);
        }
        else
        {
            var (feed, rsitClass, type, malware) = Kinds[_random.Next(Kinds.Length)];
            string ip;
            if (roll > 0.95)
            {
                var n = _nextUnmatched++;
                ip = $"172.{16 + (n >> 16 & 15)}.{n >> 8 & 255}.{n & 255}";
            }
            else
            {
                var s = _random.Next(Stakeholders);
                var host = _nextHost[s]++ % 4094 + 1;
                ip = $"10.{s / 16}.{(s % 16 * 16) + (host >> 8)}.{host & 255}";
            }

            e = new Event
            {
                ProducerEventId = id,
                Feed = feed,
                RsitClass = rsitClass,
                RsitType = type,
                ObservedAt = Timestamp.FromDateTimeOffset(observedAt),
                SourceIp = ip,
                SourcePort = (uint)_random.Next(1024, 65535),
                DestinationPort = 22,
                MalwareFamily = malware,
                Identifier = "bench",
            };
            if (_recent.Count < 4096)
            {
                _recent.Add(e);
            }
            else
            {
                _recent[_random.Next(_recent.Count)] = e;
            }
        }

        Generated++;
        // The server's rule: the same feed, type and target seen before within the window (every
        // event here is observed within the last ten minutes, well inside the hour).
        if (!_seen.Add((e.Feed, e.RsitType, e.SourceIp)))
        {
            Duplicates++;
        }

        var owner = OwnerOf(e.SourceIp);
        if (owner < 0)
        {
            Unmatched++;
        }
        else
        {
            RoutedPerStakeholder[owner]++;
            _aggregates.Add((owner, e.RsitType, DateOnly.FromDateTime(observedAt.UtcDateTime)));
        }

        return e;
    }

    private static int OwnerOf(string ip)
    {
        var parts = ip.Split('.');
        return parts[0] == "10" ? (int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) * 16) + (int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) / 16) : -1;
    }
}
