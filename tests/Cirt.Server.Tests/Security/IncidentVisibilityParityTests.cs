using Cirt.Grains.Incidents;
using Cirt.Grains.Security;
using Cirt.Server.Storage;
using Cirt.Server.Tests.Storage;

namespace Cirt.Server.Tests.Security;

/// <summary>
/// One TLP visibility rule, three places that apply it: a single incident
/// (<see cref="IncidentAccess.CanSee(Principal, IncidentSummary)"/>), the read model in memory
/// (<see cref="IncidentQuery.Matches"/>, <see cref="TaskQuery.Matches"/>, <see cref="DeadlineQuery.Matches"/>)
/// and its SQL on a real, migrated SQLite file. Every cell (caller × how its organisation stands to
/// the incident × TLP × status) must get the same answer from all three, for the queue, the tasks
/// and the deadlines alike, or a list would show what a single read hides.
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

    [Theory]
    [MemberData(nameof(CallerNames))]
    public async Task TheTaskListInSqlAndInMemoryShowsACallerOnlyItsOrganisationsTasksOfIncidentsItMayOpen(string caller)
    {
        var principal = Callers[caller];
        var (sql, memory, cells) = await FilledAsync();
        var scope = IncidentAccess.OrganisationScope(principal);

        // What the caller asks for does not widen what it gets: an operator gets its own organisation's tasks whatever it asks.
        foreach (var asked in new string?[] { null, "telco", "gridco" })
        {
            var assignee = scope ?? asked;
            var expected = cells
                .Where(c => Live(c.Summary) && IncidentAccess.CanSee(principal, c.Summary))
                .SelectMany(c => c.Summary.Tasks
                    .Where(t => assignee is null
                        || (t.AssigneeStakeholderId == assignee
                            && IncidentAccess.OrganisationSees(assignee, c.Summary.ReporterStakeholderId, c.Summary.AffectedStakeholderIds, c.Summary.Tlp)))
                    .Select(t => TaskKey(c.Summary, t)))
                .ToHashSet();
            if (scope is { Length: > 0 } || asked is not null && scope is null)
            {
                Assert.NotEmpty(expected); // a parity between two empty lists would prove nothing
            }

            foreach (var (name, model) in new (string, IIncidentQueue)[] { ("SQLite", sql), ("in memory", memory) })
            {
                var query = (new TaskQuery(false, false, At, cells.Count * 3) { AssignedToStakeholder = asked }).SeenBy(principal);
                var (page, total, _) = await model.TasksAsync(query);
                var listed = page.Select(r => TaskKey(r.Incident, r.Task)).ToHashSet();
                Assert.True(expected.SetEquals(listed),
                    $"For the {caller} asking for the tasks of '{asked}', the task list {name} disagrees with IncidentAccess: "
                    + $"listed but hidden: {string.Join(", ", listed.Except(expected))}; hidden but visible: {string.Join(", ", expected.Except(listed))}");
                Assert.Equal(expected.Count, total);
            }
        }
    }

    [Fact]
    public async Task ATaskListForAnOrganisationHoldsOnlyTasksOfIncidentsThatOrganisationMayOpen()
    {
        var (sql, memory, cells) = await FilledAsync();
        foreach (var organisation in Organisations)
        {
            // The inbox's question for an operator: the tasks assigned to its organisation.
            var expected = cells
                .Where(c => Live(c.Summary) && IncidentAccess.OrganisationSees(organisation, c.Summary.ReporterStakeholderId, c.Summary.AffectedStakeholderIds, c.Summary.Tlp))
                .SelectMany(c => c.Summary.Tasks.Where(t => t.AssigneeStakeholderId == organisation).Select(t => TaskKey(c.Summary, t)))
                .ToHashSet();
            foreach (var (name, model) in new (string, IIncidentQueue)[] { ("SQLite", sql), ("in memory", memory) })
            {
                var (page, total, _) = await model.TasksAsync(new TaskQuery(false, false, At, cells.Count * 3) { AssignedToStakeholder = organisation });
                var listed = page.Select(r => TaskKey(r.Incident, r.Task)).ToHashSet();
                Assert.True(expected.SetEquals(listed), $"The tasks {name} of '{organisation}' disagree with IncidentAccess: listed {listed.Count}, expected {expected.Count}");
                Assert.Equal(expected.Count, total);
            }
        }
    }

    [Theory]
    [MemberData(nameof(CallerNames))]
    public async Task TheDeadlineListInSqlAndInMemoryShowsACallerOnlyDeadlinesOfItsOwnReportsItMayOpen(string caller)
    {
        var principal = Callers[caller];
        var (sql, memory, cells) = await FilledAsync();
        var scope = IncidentAccess.OrganisationScope(principal);
        var expected = cells
            .Where(c => Live(c.Summary) && IncidentAccess.CanSee(principal, c.Summary) && (scope is null || c.Summary.ReporterStakeholderId == scope))
            .Select(c => c.Summary.TrackingId)
            .ToHashSet();

        foreach (var (name, model) in new (string, IIncidentQueue)[] { ("SQLite", sql), ("in memory", memory) })
        {
            var (page, total, _) = await model.DeadlinesAsync(new DeadlineQuery(DeadlineView.All, At, cells.Count).SeenBy(principal));
            AssertSameCells(caller, $"deadline list {name}", cells.Where(c => Live(c.Summary)), expected, page.Select(r => r.Incident.TrackingId).ToHashSet());
            Assert.Equal(expected.Count, total);
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

    /// <summary>Both read models, filled with every cell.</summary>
    private async Task<(SqliteIncidentQueue Sql, InMemoryIncidentQueue Memory, List<Cell> Cells)> FilledAsync()
    {
        var cells = Cells();
        var sql = new SqliteIncidentQueue(_file.Database);
        var memory = new InMemoryIncidentQueue();
        await Task.WhenAll(cells.SelectMany(c => new[] { sql.UpsertAsync(c.Summary), memory.UpsertAsync(c.Summary) }));
        return (sql, memory, cells);
    }

    /// <summary>Rejected incidents and duplicates carry no work and no obligations: task and deadline lists leave them out.</summary>
    private static bool Live(IncidentSummary incident) => incident.Status is not (IncidentStatus.Rejected or IncidentStatus.Duplicate);

    private static string TaskKey(IncidentSummary incident, IncidentTask task) => $"{incident.TrackingId}#{task.Number}@{task.AssigneeStakeholderId}";

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
                        // Each incident has a deadline, and a task for the organisation, for another one and for an analyst.
                        var summary = new IncidentSummary(
                            TrackingIds.Format(2026, cells.Count + 1), "Ransomware on the HMI", status, Severity.High, tlp, reporter,
                            ["ENERGY"], affected, "malicious-code", "infected-system", "", At, At, 1,
                            [new Deadline(DeadlineKind.Triage, At.AddHours(4), null, "triage SLA")])
                        {
                            Tasks =
                            [
                                TaskFor(1, organisation, ""), TaskFor(2, "telco", ""), TaskFor(3, "", "alice"),
                            ],
                        };
                        cells.Add(new Cell(organisation, standing, summary));
                    }
                }
            }
        }

        return cells;
    }

    private static IncidentTask TaskFor(int number, string stakeholder, string analyst) =>
        new(number, "Isolate the HMI", stakeholder, analyst, At.AddHours(4), IncidentTaskStatus.Open, At, "ana", "", At);

    private sealed record Cell(string Organisation, Standing Standing, IncidentSummary Summary)
    {
        public override string ToString() =>
            $"{Summary.TrackingId} ({Standing} to '{Organisation}', TLP {Summary.Tlp}, {Summary.Status}, reported by {Summary.ReporterStakeholderId}, affecting {string.Join(", ", Summary.AffectedStakeholderIds)})";
    }
}
