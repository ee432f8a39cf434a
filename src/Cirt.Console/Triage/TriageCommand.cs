using System.ComponentModel;
using System.Threading.Channels;
using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Grpc.Core;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Triage;

/// <summary>
/// cirt triage: the queue live, full screen, fed by IncidentService.WatchIncidents: new incidents
/// appear within a second, rows coloured by severity and by their next deadline, a countdown to it,
/// and keyboard-only work on the selected incident (open, triage with RSIT pickers, assign, move,
/// note, filter); q quits. Piped, or with --output json, it prints the stream as NDJSON instead.
/// </summary>
public sealed class TriageCommand(IAnsiConsole console) : CirtCommand<TriageCommand.Settings>(console)
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandOption("--status <STATUS>")]
        [Description("Only incidents in this status (repeatable): reported, triaged, responding, recovering, resolved, closed, rejected, duplicate")]
        public string[] Statuses { get; init; } = [];

        [CommandOption("--severity <SEVERITY>")]
        [Description("Only incidents of this severity, the CIRT's (repeatable): low, medium, high, critical")]
        public string[] Severities { get; init; } = [];

        [CommandOption("--sector <CODE>")]
        [Description("Only incidents affecting this sector")]
        public string? Sector { get; init; }

        [CommandOption("--stakeholder <ID>")]
        [Description("Only incidents reported by or affecting this stakeholder")]
        public string? Stakeholder { get; init; }

        [CommandOption("--snapshot <N>")]
        [Description("Incidents of the queue read at start, most recent first, before the changes (1 to 500; default 200)")]
        public int Snapshot { get; init; } = 200;

        [CommandOption("--once")]
        [Description("NDJSON only: print the queue as it stands (the snapshot and the CURRENT line) and stop")]
        public bool Once { get; init; }

        public override ValidationResult Validate() =>
            Snapshot is < 1 or > 500 ? ValidationResult.Error("--snapshot must be between 1 and 500.") : base.Validate();
    }

    private static readonly (string Label, IncidentStatus[] Statuses, Severity[] Severities)[] Filters =
    [
        ("open: reported to resolved", [IncidentStatus.Reported, IncidentStatus.Triaged, IncidentStatus.Responding, IncidentStatus.Recovering, IncidentStatus.Resolved], []),
        ("waiting for triage", [IncidentStatus.Reported], []),
        ("being handled: triaged, responding, recovering", [IncidentStatus.Triaged, IncidentStatus.Responding, IncidentStatus.Recovering], []),
        ("critical and high", [], [Severity.Critical, Severity.High]),
        ("everything", [], []),
    ];

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var request = new WatchIncidentsRequest
        {
            Statuses = { s.Statuses.Select(Words.Status) },
            Severities = { s.Severities.Select(Words.Severity) },
            SectorCode = s.Sector?.ToUpperInvariant() ?? "",
            StakeholderId = s.Stakeholder ?? "",
            SnapshotSize = s.Snapshot,
        };
        if (s.WantsJson || !Console.Profile.Capabilities.Interactive)
        {
            return await PrintAsync(client, request, s.Once, cancellationToken);
        }

        if (s.Once)
        {
            throw new UsageException("--once prints the queue as NDJSON: give it with --output json, or pipe the output.");
        }

        return await new Screen(Console, client, request).RunAsync(cancellationToken);
    }

    /// <summary>The stream as NDJSON, one event a line, until Ctrl+C (or the snapshot's end with --once).</summary>
    private async Task<int> PrintAsync(CirtClient client, WatchIncidentsRequest request, bool once, CancellationToken cancellationToken)
    {
        using var call = client.Incidents.WatchIncidents(request, cancellationToken: cancellationToken);
        try
        {
            while (await call.ResponseStream.MoveNext(cancellationToken))
            {
                JsonLines.Write(Console, call.ResponseStream.Current);
                if (once && call.ResponseStream.Current.Kind == WatchEventKind.Current)
                {
                    return 0;
                }
            }
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C.
        }

        return 0;
    }

    /// <summary>The full-screen view: a live display between actions, prompts during them.</summary>
    private sealed class Screen(IAnsiConsole console, CirtClient client, WatchIncidentsRequest request)
    {
        private TriageQueue _queue = new();
        private string _message = "";
        private string _filter = Describe(request);
        private Task<bool>? _changed;
        private Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

        public async Task<int> RunAsync(CancellationToken cancellationToken)
        {
            var alternate = console.Profile.Capabilities.AlternateBuffer;
            if (alternate)
            {
                console.Write(new ControlCode("\u001b[?1049h\u001b[H"));
            }

            try
            {
                while (true)
                {
                    using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    var pump = PumpAsync(watching.Token);
                    var quit = await WorkAsync(pump, cancellationToken);
                    await watching.CancelAsync();
                    await pump;
                    if (quit)
                    {
                        return 0;
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 0; // Ctrl+C.
            }
            finally
            {
                if (alternate)
                {
                    console.Write(new ControlCode("\u001b[?1049l"));
                }
            }
        }

        /// <summary>Reads the watch into the queue and says that it changed; returns when cancelled or when the stream fails (the failure is shown).</summary>
        private async Task PumpAsync(CancellationToken cancellationToken)
        {
            // This watch's queue and signal: a new filter gets its own.
            var queue = _queue;
            var changes = _changes;
            try
            {
                using var call = client.Incidents.WatchIncidents(request, cancellationToken: cancellationToken);
                while (await call.ResponseStream.MoveNext(cancellationToken))
                {
                    queue.Apply(call.ResponseStream.Current);
                    changes.Writer.TryWrite(true);
                }

                _message = "[yellow]The server ended the watch.[/]";
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                // Closed by us: a new filter, or quitting.
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            catch (RpcException ex)
            {
                _message = $"[red]The watch failed ({Markup.Escape(StatusName(ex.StatusCode))}):[/] {Markup.Escape(ex.Status.Detail)}";
            }

            changes.Writer.TryWrite(true);
        }

        /// <summary>Shows the queue and acts on keys until q (true) or a new filter (false, to watch again).</summary>
        private async Task<bool> WorkAsync(Task pump, CancellationToken cancellationToken)
        {
            while (true)
            {
                var key = await LiveUntilKeyAsync(cancellationToken);
                var selected = _queue.Selected(DateTimeOffset.UtcNow);
                switch (char.ToLowerInvariant(key.KeyChar))
                {
                    case 'q':
                        return true;
                    case 'f':
                        if (await ChooseFilterAsync(cancellationToken))
                        {
                            return false;
                        }

                        break;
                    case 'o' when selected is not null:
                        await OpenAsync(selected, cancellationToken);
                        break;
                    case 't' when selected is not null:
                        await ActAsync(() => TriageAsync(selected, cancellationToken));
                        break;
                    case 'a' when selected is not null:
                        await ActAsync(() => AssignAsync(selected, cancellationToken));
                        break;
                    case 'm' when selected is not null:
                        await ActAsync(() => MoveAsync(selected, cancellationToken));
                        break;
                    case 'n' when selected is not null:
                        await ActAsync(() => NoteAsync(selected, cancellationToken));
                        break;
                    default:
                        if (key.Key == ConsoleKey.Enter && selected is not null)
                        {
                            await OpenAsync(selected, cancellationToken);
                        }

                        break;
                }

                if (pump.IsCompleted && _message.Length == 0)
                {
                    _message = "[yellow]The watch ended; press f to watch again.[/]";
                }
            }
        }

        /// <summary>The live display, redrawn on every change and every second (countdowns), until a key other than a move is pressed.</summary>
        private async Task<ConsoleKeyInfo> LiveUntilKeyAsync(CancellationToken cancellationToken)
        {
            ConsoleKeyInfo pressed = default;
            console.Clear(home: true);
            await console.Live(Draw())
                .AutoClear(true)
                .Overflow(VerticalOverflow.Crop)
                .Cropping(VerticalOverflowCropping.Bottom)
                .StartAsync(async context =>
                {
                    var keyTask = console.Input.ReadKeyAsync(intercept: true, cancellationToken);
                    while (true)
                    {
                        _changed ??= _changes.Reader.WaitToReadAsync(cancellationToken).AsTask();
                        var tick = Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                        var done = await Task.WhenAny(keyTask, _changed, tick);
                        if (done == _changed)
                        {
                            _changes.Reader.TryRead(out _);
                            _changed = null;
                        }
                        else if (done == keyTask)
                        {
                            if (await keyTask is not { } key)
                            {
                                keyTask = console.Input.ReadKeyAsync(intercept: true, cancellationToken);
                                continue;
                            }

                            var move = key.Key switch
                            {
                                ConsoleKey.UpArrow or ConsoleKey.K => -1,
                                ConsoleKey.DownArrow or ConsoleKey.J => 1,
                                ConsoleKey.PageUp => -10,
                                ConsoleKey.PageDown => 10,
                                _ => 0,
                            };
                            if (move == 0)
                            {
                                pressed = key;
                                return;
                            }

                            _queue.Move(move, DateTimeOffset.UtcNow);
                            keyTask = console.Input.ReadKeyAsync(intercept: true, cancellationToken);
                        }

                        context.UpdateTarget(Draw());
                        context.Refresh();
                    }
                });
            _message = "";
            return pressed;
        }

        private Spectre.Console.Rendering.IRenderable Draw() =>
            TriageScreen.Render(_queue, DateTimeOffset.UtcNow, console.Profile.Width, console.Profile.Height, _filter, _message);

        private async Task ActAsync(Func<Task<string>> action)
        {
            console.Clear(home: true);
            try
            {
                _message = await action();
            }
            catch (RpcException ex)
            {
                _message = $"[red]Refused ({Markup.Escape(StatusName(ex.StatusCode))}):[/] {Markup.Escape(ex.Status.Detail)}";
            }
        }

        private async Task OpenAsync(WatchIncidentsResponse row, CancellationToken cancellationToken)
        {
            console.Clear(home: true);
            try
            {
                var incident = (await client.Incidents.GetIncidentAsync(
                    new GetIncidentRequest { TrackingId = row.TrackingId, TimelinePageSize = 20 }, cancellationToken: cancellationToken)).Incident;
                IncidentView.Render(console, incident);
            }
            catch (RpcException ex)
            {
                console.MarkupLineInterpolated($"[red]Refused ({StatusName(ex.StatusCode)}):[/] {ex.Status.Detail}");
            }

            console.MarkupLine("[grey]Press any key to return to the queue.[/]");
            await console.Input.ReadKeyAsync(intercept: true, cancellationToken);
        }

        private async Task<string> TriageAsync(WatchIncidentsResponse row, CancellationToken cancellationToken)
        {
            console.MarkupLineInterpolated($"[bold]Triage {row.TrackingId}[/]: {row.Incident.Title}");
            var rsitClass = await Pick($"RSIT class of {row.TrackingId}", RsitTaxonomy.All.Select(c => c.Name), cancellationToken);
            if (rsitClass is null)
            {
                return "Triage cancelled.";
            }

            var rsitType = await Pick($"RSIT type ({rsitClass})", RsitTaxonomy.All.First(c => c.Name == rsitClass).Types, cancellationToken);
            if (rsitType is null)
            {
                return "Triage cancelled.";
            }

            var claimed = row.Incident.ReportedSeverity;
            var severities = new[] { Severity.Low, Severity.Medium, Severity.High, Severity.Critical }
                .OrderByDescending(v => v == claimed).Select(Words.Of);
            var severity = await Pick(
                claimed == Severity.Unspecified ? "Severity" : $"Severity (the reporter claims {Words.Of(claimed)})", severities, cancellationToken);
            if (severity is null)
            {
                return "Triage cancelled.";
            }

            var triaged = (await client.Incidents.TriageIncidentAsync(new TriageIncidentRequest
            {
                TrackingId = row.TrackingId,
                Outcome = TriageOutcome.Accept,
                RsitClass = rsitClass,
                RsitType = rsitType,
                Severity = Words.Severity(severity),
                ExpectedVersion = row.Version,
            }, cancellationToken: cancellationToken)).Incident;
            return $"[green]{Markup.Escape(triaged.TrackingId)} triaged:[/] {Markup.Escape(rsitClass)}/{Markup.Escape(rsitType)}, {Markup.Escape(severity)}.";
        }

        private async Task<string> AssignAsync(WatchIncidentsResponse row, CancellationToken cancellationToken)
        {
            var assignee = await new TextPrompt<string>($"Assign {Markup.Escape(row.TrackingId)} to (empty: nobody):").AllowEmpty()
                .ShowAsync(console, cancellationToken);
            var assigned = (await client.Incidents.AssignIncidentAsync(new AssignIncidentRequest
            {
                TrackingId = row.TrackingId, Assignee = assignee.Trim(), ExpectedVersion = row.Version,
            }, cancellationToken: cancellationToken)).Incident;
            return assigned.Assignee.Length > 0
                ? $"[green]{Markup.Escape(assigned.TrackingId)} assigned to {Markup.Escape(assigned.Assignee)}.[/]"
                : $"[green]{Markup.Escape(assigned.TrackingId)} unassigned.[/]";
        }

        private async Task<string> MoveAsync(WatchIncidentsResponse row, CancellationToken cancellationToken)
        {
            var targets = new[] { IncidentStatus.Responding, IncidentStatus.Recovering, IncidentStatus.Resolved, IncidentStatus.Closed }
                .Where(t => t != row.Incident.Status).Select(Words.Of);
            var target = await Pick($"Move {row.TrackingId} ({Words.Of(row.Incident.Status)}) to", targets, cancellationToken);
            if (target is null)
            {
                return "Move cancelled.";
            }

            var reason = await new TextPrompt<string>("Reason (recorded in the timeline):").AllowEmpty().ShowAsync(console, cancellationToken);
            var moved = (await client.Incidents.TransitionIncidentAsync(new TransitionIncidentRequest
            {
                TrackingId = row.TrackingId, TargetStatus = Words.Status(target), Reason = reason.Trim(), ExpectedVersion = row.Version,
            }, cancellationToken: cancellationToken)).Incident;
            return $"[green]{Markup.Escape(moved.TrackingId)} is {Markup.Escape(Words.Of(moved.Status))}.[/]";
        }

        private async Task<string> NoteAsync(WatchIncidentsResponse row, CancellationToken cancellationToken)
        {
            var text = await new TextPrompt<string>($"Note on {Markup.Escape(row.TrackingId)} (internal; empty: cancel):").AllowEmpty()
                .ShowAsync(console, cancellationToken);
            if (text.Trim().Length == 0)
            {
                return "Note cancelled.";
            }

            await client.Incidents.AddNoteAsync(new AddNoteRequest { TrackingId = row.TrackingId, Text = text.Trim() }, cancellationToken: cancellationToken);
            return $"[green]Note added to {Markup.Escape(row.TrackingId)}.[/]";
        }

        /// <summary>Chooses a filter preset; true when it changed (the watch starts again with it).</summary>
        private async Task<bool> ChooseFilterAsync(CancellationToken cancellationToken)
        {
            console.Clear(home: true);
            var label = await Pick("Show", Filters.Select(f => f.Label), cancellationToken);
            var chosen = Filters.FirstOrDefault(f => f.Label == label);
            if (chosen.Label is null)
            {
                return false;
            }

            request = request.Clone();
            request.Statuses.Clear();
            request.Statuses.Add(chosen.Statuses);
            request.Severities.Clear();
            request.Severities.Add(chosen.Severities);
            _filter = Describe(request);
            _queue = new TriageQueue();
            _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
            _changed = null;
            return true;
        }

        /// <summary>A choice by arrow keys (or typing to search); null when cancelled.</summary>
        private async Task<string?> Pick(string title, IEnumerable<string> choices, CancellationToken cancellationToken)
        {
            const string Cancel = "(cancel)";
            var prompt = new SelectionPrompt<string>()
                .Title(Markup.Escape(title))
                .PageSize(Math.Max(3, console.Profile.Height - 4))
                .EnableSearch()
                .AddChoices(choices)
                .AddChoices(Cancel);
            var picked = await prompt.ShowAsync(console, cancellationToken);
            return picked == Cancel ? null : picked;
        }

        private static string Describe(WatchIncidentsRequest r)
        {
            var parts = new List<string>();
            if (r.Statuses.Count > 0)
            {
                parts.Add(string.Join(",", r.Statuses.Select(Words.Of)));
            }

            if (r.Severities.Count > 0)
            {
                parts.Add(string.Join(",", r.Severities.Select(Words.Of)));
            }

            if (r.SectorCode.Length > 0)
            {
                parts.Add("sector " + r.SectorCode);
            }

            if (r.StakeholderId.Length > 0)
            {
                parts.Add("stakeholder " + r.StakeholderId);
            }

            return parts.Count == 0 ? "everything" : string.Join("; ", parts);
        }
    }

    /// <summary>A gRPC status as gRPC spells it: FAILED_PRECONDITION.</summary>
    public static string StatusName(StatusCode code) =>
        string.Concat(code.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant();
}
