using Cirt.Grains.Incidents;
using Cirt.Grains.Security;
using Cirt.Server.Storage;
using Cirt.Server.Tests.Storage;

namespace Cirt.Server.Tests.Security;

/// <summary>
/// One TLP visibility rule, three places that apply it: a single incident
/// (<see cref="IncidentAccess.CanSee(Principal, IncidentSummary)"/>), the queue in memory
/// (<see cref="IncidentQuery.Matches"/>) and the queue's SQL on a real, migrated SQLite file. Every
/// cell (caller × how its organisation stands to the incident × TLP × status) must get the same
/// answer from all three, or a list would show what a single read hides.
/// </summary>
public sealed class IncidentVisibilityParityTests : IDisposable
{
    /// <summary>How an organisation stands to an incident.</summary>
    public enum Standing
    {
        /// <summary>It reported the incident; another organisation is affected.</summary>
        Own,

        /// <summary>It reported the incident and is among the affected too.</summary>
        OwnAndAffected,

        /// <summary>Another organisation reported it; it is among the affected.</summary>
        Affected,

        /// <summary>Another organisation reported it, and only a third one is affected.</summary>
        Other,
    }

    private static readonly DateTimeOffset At = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Every role, plus the two keys that must see nothing whatever they carry.</summary>
    private static readonly Dictionary<string, Principal> Callers = new()
    {
        ["analyst"] = new("a1b2c3d4e5f60718", "alice", Role.Analyst, "", ""),
        ["coordinator"] = new("b1b2c3d4e5f60718", "carol", Role.Coordinator, "", ""),
        ["operator of gridco"] = new("c1b2c3d4e5f60718", "soc", Role.Operator, "gridco", ""),
        ["partner cert-fr"] = new("d1b2c3d4e5f60718", "duty", Role.Partner, "", "cert-fr"),
        ["operator bound to no organisation"] = new("e1b2c3d4e5f60718", "lost", Role.Operator, "", ""),
        ["partner whose key names gridco"] = new("f1b2c3d4e5f60718", "odd", Role.Partner, "gridco", "cert-fr"),
    };

    /// <summary>
    /// The organisations the incidents are built around: an operator's, a partner's id taken as if
    /// it were one, and the blank id (a key bound to no organisation must not match a blank reporter).
    /// </summary>
    private static readonly string[] Organisations = ["gridco", "cert-fr", ""];

    private readonly TempSqliteDatabase _file = new();

    public void Dispose() => _file.Dispose();

    public static TheoryData<string> CallerNames => new(Callers.Keys);

    [Theory]
    [MemberData(nameof(CallerNames))]
    public async Task TheQueueInSqlAndInMemoryListsExactlyTheIncidentsTheCallerMayOpen(string caller)
    {
        var principal = Callers[caller];
        var cells = Cells();
        var sql = new SqliteIncidentQueue(_file.Database);
        var memory = new InMemoryIncidentQueue();
        await Task.WhenAll(cells.SelectMany(c => new[] { sql.UpsertAsync(c.Summary), memory.UpsertAsync(c.Summary) }));

        // Every status at once, then each status through the query's own status filter.
        var filters = new[] { Array.Empty<IncidentStatus>() }.Concat(Enum.GetValues<IncidentStatus>().Select(s => new[] { s }));
        foreach (var statuses in filters)
        {
            var query = (IncidentQuery.All(cells.Count) with { Statuses = statuses }).SeenBy(principal);
            var wanted = cells.Where(c => statuses.Length == 0 || statuses.Contains(c.Summary.Status)).ToArray();
            var expected = wanted.Where(c => IncidentAccess.CanSee(principal, c.Summary)).Select(c => c.Summary.TrackingId).ToHashSet();

            var (fromSql, sqlTotal) = await sql.QueryAsync(query);
            var (fromMemory, memoryTotal) = await memory.QueryAsync(query);

            AssertSameCells(caller, "SQLite", wanted, expected, fromSql.Select(s => s.TrackingId).ToHashSet());
            AssertSameCells(caller, "in memory", wanted, expected, fromMemory.Select(s => s.TrackingId).ToHashSet());
            Assert.Equal(expected.Count, sqlTotal);
            Assert.Equal(expected.Count, memoryTotal);
        }
    }

    [Fact]
    public void TheCellsCoverEveryStandingTlpAndStatusAndTheRuleSplitsThem()
    {
        var cells = Cells();
        var gridco = Callers["operator of gridco"];

        Assert.Equal(Organisations.Length * Enum.GetValues<Standing>().Length * Enum.GetValues<Tlp>().Length * Enum.GetValues<IncidentStatus>().Length, cells.Count);
        // The operator sees some and not others: a parity between two lists that are both empty (or both full) would prove nothing.
        var seen = cells.Where(c => c.Organisation == "gridco").GroupBy(c => (c.Standing, c.Summary.Tlp)).ToDictionary(g => g.Key, g => g.All(c => IncidentAccess.CanSee(gridco, c.Summary)));
        Assert.True(seen[(Standing.Own, Tlp.Red)]);
        Assert.True(seen[(Standing.OwnAndAffected, Tlp.Red)]);
        Assert.True(seen[(Standing.Affected, Tlp.Amber)]);
        Assert.False(seen[(Standing.Affected, Tlp.AmberStrict)]);
        Assert.False(seen[(Standing.Other, Tlp.Clear)]);
    }

    private static void AssertSameCells(string caller, string where, IEnumerable<Cell> cells, HashSet<string> expected, HashSet<string> listed)
    {
        var wrong = cells
            .Where(c => expected.Contains(c.Summary.TrackingId) != listed.Contains(c.Summary.TrackingId))
            .Select(c => $"{c} is {(listed.Contains(c.Summary.TrackingId) ? "listed but may not be opened" : "hidden but may be opened")}")
            .ToArray();
        Assert.True(wrong.Length == 0, $"For the {caller}, the queue {where} disagrees with IncidentAccess.CanSee:\n{string.Join('\n', wrong)}");
    }

    private static List<Cell> Cells()
    {
        var cells = new List<Cell>();
        foreach (var organisation in Organisations)
        {
            foreach (var standing in Enum.GetValues<Standing>())
            {
                var (reporter, affected) = standing switch
                {
                    Standing.Own => (organisation, new[] { "telco" }),
                    Standing.OwnAndAffected => (organisation, new[] { organisation, "telco" }),
                    Standing.Affected => ("watershed", new[] { "telco", organisation }),
                    Standing.Other => ("watershed", new[] { "telco" }),
                    _ => throw new ArgumentOutOfRangeException(nameof(standing)),
                };
                foreach (var tlp in Enum.GetValues<Tlp>())
                {
                    foreach (var status in Enum.GetValues<IncidentStatus>())
                    {
                        var summary = new IncidentSummary(
                            TrackingIds.Format(2026, cells.Count + 1), "Ransomware on the HMI", status, Severity.High, tlp, reporter,
                            ["ENERGY"], affected, "malicious-code", "infected-system", "", At, At, 1, []);
                        cells.Add(new Cell(organisation, standing, summary));
                    }
                }
            }
        }

        return cells;
    }

    private sealed record Cell(string Organisation, Standing Standing, IncidentSummary Summary)
    {
        public override string ToString() =>
            $"{Summary.TrackingId} ({Standing} to '{Organisation}', TLP {Summary.Tlp}, {Summary.Status}, reported by {Summary.ReporterStakeholderId}, affecting {string.Join(", ", Summary.AffectedStakeholderIds)})";
    }
}
