using Cirt.Console.Triage;
using Cirt.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Spectre.Console.Testing;

namespace Cirt.Console.Tests.Triage;

/// <summary>The live triage screen as drawn: it fits the terminal, most urgent first, countdowns that say overdue.</summary>
public sealed class TriageScreenTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void At80By24TheScreenFitsAndPutsTheMostUrgentFirstWithItsCountdown()
    {
        var queue = new TriageQueue();
        for (var i = 1; i <= 30; i++)
        {
            queue.Apply(Row(i, Severity.Low, Now.AddHours(i), "A long title that would never fit in eighty columns at all " + i));
        }

        queue.Apply(Row(99, Severity.Critical, Now.AddMinutes(-5), "Overdue and critical"));
        queue.Apply(new WatchIncidentsResponse { Kind = WatchEventKind.Current });
        var console = new TestConsole().Width(80);

        console.Write(TriageScreen.Render(queue, Now, 80, 24, "everything", ""));

        var lines = console.Output.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length <= 24, $"{lines.Length} lines");
        Assert.All(lines, line => Assert.True(line.TrimEnd().Length <= 80, $"wider than 80: {line}"));
        var first = lines.First(l => l.Contains("CIRT-", StringComparison.Ordinal));
        Assert.Contains(">CIRT-2026-000099", first);
        Assert.Contains("critical", first);
        Assert.Contains("-0h05m00s", first);
        Assert.Contains("31 incident(s), 1 overdue", lines[0]);
    }

    [Fact]
    public void AnIncidentThatLeavesTheFilterLeavesTheScreenAndAFreshSnapshotReplacesTheRows()
    {
        var queue = new TriageQueue();
        queue.Apply(Row(1, Severity.High, Now.AddHours(1), "first"));
        queue.Apply(new WatchIncidentsResponse { Kind = WatchEventKind.Current });
        queue.Apply(Row(2, Severity.Low, Now.AddHours(2), "second", WatchEventKind.Created));
        queue.Apply(new WatchIncidentsResponse { Kind = WatchEventKind.Left, TrackingId = "CIRT-2026-000001", Version = 2 });

        Assert.Equal(["CIRT-2026-000002"], queue.Rows(Now).Select(r => r.TrackingId));

        queue.Apply(Row(3, Severity.Low, Now.AddHours(2), "third"));
        queue.Apply(new WatchIncidentsResponse { Kind = WatchEventKind.Current });

        Assert.Equal(["CIRT-2026-000003"], queue.Rows(Now).Select(r => r.TrackingId));
    }

    private static WatchIncidentsResponse Row(int number, Severity severity, DateTimeOffset due, string title, WatchEventKind kind = WatchEventKind.Snapshot)
    {
        var id = $"CIRT-2026-{number:000000}";
        return new WatchIncidentsResponse
        {
            Kind = kind,
            TrackingId = id,
            Version = 1,
            Incident = new IncidentSummary
            {
                TrackingId = id, Title = title, Status = IncidentStatus.Triaged, Severity = severity, Version = 1,
                ReportedAt = Timestamp.FromDateTimeOffset(Now.AddHours(-1)),
            },
            Deadlines = { new Deadline { Kind = DeadlineKind.Triage, DueAt = Timestamp.FromDateTimeOffset(due), Status = DeadlineStatus.Pending } },
        };
    }
}
