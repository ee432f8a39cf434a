using System.Net;
using BenchmarkDotNet.Attributes;
using Cirt.Benchmarks.Ingest;
using Cirt.Grains.Ingest;
using Cirt.Grains.Stakeholders;

namespace Cirt.Benchmarks.Micro;

/// <summary>The hot pieces of the ingest path, one event at a time.</summary>
[MemoryDiagnoser]
public class RoutingBenchmarks
{
    private ConstituencyIndex _index = null!;
    private IPAddress[] _addresses = null!;
    private DuplicateWindow _window = null!;
    private ResendWindow _resends = null!;
    private long[] _keys = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _index = new ConstituencyIndex(Enumerable.Range(0, 1_000).Select(i => new Stakeholder(
            EventGenerator.IdOf(i), $"Operator {i}", StakeholderType.Isp, [], "LU", Nis2EntityClass.None, [],
            new Constituency([EventGenerator.PrefixOf(i), $"2001:db8:{i:x}::/48"], [(uint)(64_512 + i)], [$"op{i}.example"]), 1,
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "bench")));
        var random = new Random(1);
        _addresses = Enumerable.Range(0, 4096).Select(_ => random.Next(10) == 0
            ? IPAddress.Parse($"172.16.{random.Next(256)}.{random.Next(256)}")
            : IPAddress.Parse($"10.{random.Next(62)}.{random.Next(256)}.{random.Next(256)}")).ToArray();
        _window = new DuplicateWindow(TimeSpan.FromHours(1), 4_000_000);
        // A full resend window at the default size: every event is looked up in it.
        _resends = new ResendWindow(8_000_000);
        for (var pass = 0; pass < 8; pass++)
        {
            var keys = Enumerable.Range(0, 1_000_000).Select(_ => random.NextInt64()).ToArray();
            _resends.Add(_resends.Place(keys.Length), keys);
        }

        _keys = Enumerable.Range(0, 4096).Select(_ => random.NextInt64()).ToArray();
    }

    [Benchmark]
    public string? LongestPrefixMatch() => _index.OwnerOf(_addresses[_next++ & 4095]);

    [Benchmark]
    public string? DomainSuffixMatch() => _index.OwnerOfDomain("www.mail.op512.example");

    [Benchmark]
    public bool DuplicateCheck() => _window.IsDuplicate("sinkhole", "infected-system", _addresses[_next++ & 4095].ToString(), DateTimeOffset.UtcNow);

    [Benchmark]
    public bool ResendCheck() => _resends.Contains(_keys[_next++ & 4095]);

    [Benchmark]
    public long EventKey() => EventKeys.Of("sensor@gridco", "event-0123456789");
}
