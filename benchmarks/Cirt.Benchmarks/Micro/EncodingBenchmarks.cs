using BenchmarkDotNet.Attributes;
using Cirt.Benchmarks.Ingest;
using Cirt.Contracts.V1;
using Google.Protobuf;

namespace Cirt.Benchmarks.Micro;

/// <summary>Encoding and decoding a batch of 1,000 events, as the log stores and the aggregator reads them.</summary>
[MemoryDiagnoser]
public class EncodingBenchmarks
{
    private EventBatch _batch = null!;
    private byte[] _encoded = null!;

    [GlobalSetup]
    public void Setup()
    {
        _batch = new EventGenerator(1_000, 7).Batch("bench", 1_000);
        _encoded = _batch.ToByteArray();
    }

    [Benchmark]
    public byte[] EncodeBatch() => _batch.ToByteArray();

    [Benchmark]
    public EventBatch DecodeBatch() => EventBatch.Parser.ParseFrom(_encoded);
}
