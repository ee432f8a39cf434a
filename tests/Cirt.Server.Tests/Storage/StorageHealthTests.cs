using System.Diagnostics.Metrics;
using Cirt.Server.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Cirt.Server.Tests.Storage;

/// <summary>
/// How a full disk is told in the log: once when it starts, a counted line a minute while it lasts,
/// once when it ends; a disk that fills again soon after continues the same story. And which
/// failures count as a full disk.
/// </summary>
public sealed class StorageHealthTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly LogCapture _log = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-30T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly ILoggerFactory _loggers;
    private readonly StorageHealth _health;

    public StorageHealthTests()
    {
        _loggers = LoggerFactory.Create(logging => logging.AddProvider(_log).SetMinimumLevel(LogLevel.Trace));
        _health = new StorageHealth(_services.GetRequiredService<IMeterFactory>(), _loggers.CreateLogger<StorageHealth>(), _time);
    }

    public void Dispose()
    {
        _loggers.Dispose();
        _services.Dispose();
    }

    private static SqliteException Full() => new("SQLite Error 13: 'database or disk is full'.", StorageFull.SqliteFull);

    private string[] Lines => _log.Lines.Select(l => l.Message).ToArray();

    [Fact]
    public void AThousandRefusedWritesAreOneLineThenACountedLineAMinuteThenOneWhenWritable()
    {
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(_health.Refused(Full(), "ingest.db"));
            _time.Advance(TimeSpan.FromMilliseconds(50));
        }

        Assert.True(_health.RefusingWrites);
        Assert.Single(Lines, l => l.StartsWith("Storage is full: a write to ingest.db failed", StringComparison.Ordinal));
        // 1000 writes over 50 s: no summary yet.
        Assert.Single(Lines);

        _time.Advance(TimeSpan.FromSeconds(15));
        _health.Refused(Full(), "cirt.db");
        Assert.Equal(2, Lines.Length);
        Assert.StartsWith("Storage still full: 1000 writes refused in the last 65 s (1001 since the disk filled 65 s ago)", Lines[1], StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromSeconds(5));
        _health.Wrote();
        Assert.False(_health.RefusingWrites);
        Assert.Equal(3, Lines.Length);
        Assert.Equal("Storage writable again after 70.0 s: 1001 writes were refused meanwhile", Lines[2]);
    }

    [Fact]
    public void ADiskThatFillsAgainWithinAMinuteContinuesTheStoryWithoutANewFirstLine()
    {
        _health.Refused(Full(), "cirt.db");
        _time.Advance(TimeSpan.FromSeconds(1));
        _health.Wrote();
        _time.Advance(TimeSpan.FromSeconds(10));
        _health.Refused(Full(), "cirt.db");
        _time.Advance(TimeSpan.FromSeconds(1));
        _health.Wrote();

        Assert.True(Lines.Length == 2, string.Join("\n", Lines));
        Assert.StartsWith("Storage is full", Lines[0], StringComparison.Ordinal);
        Assert.StartsWith("Storage writable again", Lines[1], StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromMinutes(2));
        _health.Refused(Full(), "federation.db");
        Assert.StartsWith("Storage is full: a write to federation.db failed", Lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyAFullDiskCountsOtherFailuresAreLeftToWhoeverMetThem()
    {
        Assert.False(_health.Refused(new SqliteException("SQLite Error 5: 'database is locked'.", 5), "cirt.db"));
        // A trigger's RAISE may borrow SQLite's words; its code is not SQLITE_FULL.
        Assert.False(_health.Refused(new SqliteException("database or disk is full (a test)", 19), "cirt.db"));
        Assert.False(_health.RefusingWrites);
        Assert.Empty(Lines);

        Assert.True(StorageFull.Is(new InvalidOperationException("grain call failed", Full())));
        Assert.True(StorageFull.Is(new AggregateException(new TimeoutException(), Full())));
        Assert.True(StorageFull.Is(new IOException("No space left on device", 28)));
        // Across a grain call the exception may arrive as another type carrying SQLite's text.
        Assert.True(StorageFull.Is(new Exception("SQLite Error 13: 'database or disk is full'.")));
        Assert.False(StorageFull.Is(new IOException("Permission denied", 13)));
    }
}
