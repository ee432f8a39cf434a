using System.ComponentModel;
using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Reviews;

/// <summary>Settings of commands that turn one follow-up action of a review into work.</summary>
public class FollowUpSettings : IncidentSettings
{
    [CommandArgument(1, "<N>")]
    [Description("The follow-up action's number in the review, from 1")]
    public int Number { get; init; }

    /// <summary>The follow-up action's text, read from the incident's review.</summary>
    public static async Task<(Incident Incident, string Action)> FollowUpAsync(CirtClient client, string trackingId, int number, CancellationToken cancellationToken)
    {
        var incident = (await client.Incidents.GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId }, cancellationToken: cancellationToken)).Incident;
        if (incident.Review is null)
        {
            throw new UsageException($"{trackingId} has no post-incident review yet.");
        }

        if (number < 1 || number > incident.Review.FollowUpActions.Count)
        {
            throw new UsageException($"The review of {trackingId} has {incident.Review.FollowUpActions.Count} follow-up action(s); there is no number {number}.");
        }

        return (incident, incident.Review.FollowUpActions[number - 1]);
    }
}

/// <summary>cirt review task: turn a review's follow-up action into a task on the incident.</summary>
public sealed class FollowUpTaskCommand(IAnsiConsole console) : CirtCommand<FollowUpTaskCommand.Settings>(console)
{
    public sealed class Settings : FollowUpSettings
    {
        [CommandOption("--stakeholder <ID>")]
        public string? Stakeholder { get; init; }

        [CommandOption("--analyst <NAME>")]
        public string? Analyst { get; init; }

        [CommandOption("--due <WHEN>")]
        [Description("In how long (e.g. 7d) or when (ISO 8601)")]
        public string? Due { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var (_, action) = await FollowUpSettings.FollowUpAsync(client, s.TrackingId, s.Number, cancellationToken);
        var response = await client.Incidents.AddTaskAsync(new AddTaskRequest
        {
            TrackingId = s.TrackingId,
            Title = action.Length <= 200 ? action : action[..200],
            AssigneeStakeholderId = s.Stakeholder ?? "",
            AssigneeAnalyst = s.Analyst ?? "",
            DueAt = s.Due is null ? null : Timestamp.FromDateTimeOffset(Words.When(s.Due, DateTimeOffset.UtcNow)),
        }, cancellationToken: cancellationToken);
        return IncidentChanged.Report(Console, response.Incident);
    }
}

/// <summary>cirt review advisory: turn a review's follow-up action into a draft advisory (reassessment feeds prevention).</summary>
public sealed class FollowUpAdvisoryCommand(IAnsiConsole console) : CirtCommand<FollowUpAdvisoryCommand.Settings>(console)
{
    public sealed class Settings : FollowUpSettings
    {
        [CommandOption("--sector <CODE>")]
        [Description("Target sector (repeatable)")]
        public string[] Sectors { get; init; } = [];

        [CommandOption("--stakeholder <ID>")]
        [Description("Target stakeholder (repeatable)")]
        public string[] Stakeholders { get; init; } = [];

        [CommandOption("--tlp <LABEL>")]
        public string Tlp { get; init; } = "green";
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var (incident, action) = await FollowUpSettings.FollowUpAsync(client, s.TrackingId, s.Number, cancellationToken);
        var content = new AdvisoryContent
        {
            Title = action.Length <= 200 ? action : action[..200],
            Summary = $"Lessons from {incident.TrackingId} ({incident.RsitClass}/{incident.RsitType}): {incident.Review.Lessons}\nRoot cause: {incident.Review.RootCause}",
            Tlp = Words.Tlp(s.Tlp),
            IncidentTrackingId = incident.TrackingId,
        };
        content.RecommendedActions.Add(action);
        content.TargetSectors.AddRange(s.Sectors.Select(c => c.ToUpperInvariant()));
        content.TargetStakeholders.AddRange(s.Stakeholders);
        var advisory = (await client.Advisories.CreateAdvisoryAsync(new CreateAdvisoryRequest { Content = content }, cancellationToken: cancellationToken)).Advisory;
        Console.MarkupLineInterpolated($"Advisory [bold]{advisory.Id}[/] drafted from follow-up {s.Number} of {incident.TrackingId}; review it (cirt advisories show {advisory.Id}) and publish it.");
        return 0;
    }
}
