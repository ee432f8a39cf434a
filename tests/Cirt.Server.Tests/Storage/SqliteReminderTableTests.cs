using Cirt.Server.Storage;

namespace Cirt.Server.Tests.Storage;

/// <summary>Our reminder table on a real SQLite file, against what Orleans' reminder service expects of one.</summary>
public sealed class SqliteReminderTableTests : IDisposable
{
    private readonly TempSqliteDatabase _file = new();
    private readonly SqliteReminderTable _table;

    public SqliteReminderTableTests()
    {
        _table = new SqliteReminderTable(_file.Database);
    }

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task ARowReadsBackAsWrittenAndEachWriteChangesItsETag()
    {
        var grain = GrainId.Create("incident", "CIRT-2026-000042");
        var start = new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc);
        var first = await _table.UpsertRow(Entry(grain, "deadlines", start, TimeSpan.FromMinutes(1)));
        var second = await _table.UpsertRow(Entry(grain, "deadlines", start.AddHours(1), TimeSpan.FromMinutes(2)));

        Assert.NotEqual(first, second);
        var row = await _table.ReadRow(grain, "deadlines");
        Assert.NotNull(row);
        Assert.Equal(grain, row.GrainId);
        Assert.Equal(start.AddHours(1), row.StartAt);
        Assert.Equal(TimeSpan.FromMinutes(2), row.Period);
        Assert.Equal(second, row.ETag);
        Assert.Single((await _table.ReadRows(grain)).Reminders);
        Assert.Null(await _table.ReadRow(grain, "other"));
    }

    [Fact]
    public async Task RemovingNeedsTheCurrentETag()
    {
        var grain = GrainId.Create("incident", "CIRT-2026-000043");
        var stale = await _table.UpsertRow(Entry(grain, "deadlines", DateTime.UtcNow, TimeSpan.FromMinutes(1)));
        var current = await _table.UpsertRow(Entry(grain, "deadlines", DateTime.UtcNow, TimeSpan.FromMinutes(1)));

        Assert.False(await _table.RemoveRow(grain, "deadlines", stale!));
        Assert.True(await _table.RemoveRow(grain, "deadlines", current!));
        Assert.Null(await _table.ReadRow(grain, "deadlines"));
    }

    [Fact]
    public async Task RangesOfTheHashRingIncludeTheirEndAndWrapAround()
    {
        var grains = Enumerable.Range(0, 40).Select(i => GrainId.Create("incident", $"CIRT-2026-{i:000000}")).ToArray();
        foreach (var grain in grains)
        {
            await _table.UpsertRow(Entry(grain, "deadlines", DateTime.UtcNow, TimeSpan.FromMinutes(1)));
        }

        var hashes = grains.Select(g => g.GetUniformHashCode()).Order().ToArray();
        var middle = hashes[20];
        var lower = (await _table.ReadRows(0, middle)).Reminders.Select(r => r.GrainId.GetUniformHashCode()).ToHashSet();
        var wrapped = (await _table.ReadRows(middle, 0)).Reminders.Select(r => r.GrainId.GetUniformHashCode()).ToHashSet();

        Assert.Equal(hashes.Where(h => h > 0 && h <= middle).ToHashSet(), lower);
        Assert.Equal(hashes.Where(h => h > middle || h == 0).ToHashSet(), wrapped);
        Assert.Equal(grains.Length, (await _table.ReadRows(middle, middle)).Reminders.Count);
    }

    private static ReminderEntry Entry(GrainId grain, string name, DateTime start, TimeSpan period) =>
        new() { GrainId = grain, ReminderName = name, StartAt = start, Period = period };
}
