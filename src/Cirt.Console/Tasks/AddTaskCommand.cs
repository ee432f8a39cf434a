using System.ComponentModel;
using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Tasks;

/// <summary>cirt tasks add: add a task to an incident, for a stakeholder or an analyst.</summary>
public sealed class AddTaskCommand(IAnsiConsole console) : CirtCommand<AddTaskCommand.Settings>(console)
{
    public sealed class Settings : IncidentChangeSettings
    {
        [CommandArgument(1, "<TITLE>")]
        [Description("What is to be done; quote it")]
        public string Title { get; init; } = "";

        [CommandOption("--stakeholder <ID>")]
        [Description("The organisation the task is for (its operators see and update it)")]
        public string? Stakeholder { get; init; }

        [CommandOption("--analyst <NAME>")]
        [Description("The analyst the task is for")]
        public string? Analyst { get; init; }

        [CommandOption("--due <WHEN>")]
        [Description("In how long (e.g. 4h, 2d, 30m) or when (ISO 8601, e.g. 2026-11-26T08:00Z)")]
        public string? Due { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var response = await client.Incidents.AddTaskAsync(new AddTaskRequest
        {
            TrackingId = s.TrackingId,
            ExpectedVersion = s.ExpectedVersion,
            Title = s.Title,
            AssigneeStakeholderId = s.Stakeholder ?? "",
            AssigneeAnalyst = s.Analyst ?? "",
            DueAt = s.Due is null ? null : Timestamp.FromDateTimeOffset(Words.When(s.Due, DateTimeOffset.UtcNow)),
        }, cancellationToken: cancellationToken);
        return Emit(s, response, () => IncidentChanged.Report(Console, response.Incident));
    }
}
