using System.ComponentModel;
using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Reviews;

/// <summary>Settings of commands that turn one follow-up action of a review into work.</summary>
public class FollowUpSettings : IncidentSettings
{
    [CommandArgument(1, "<N>")]
    [Description("The follow-up action's number in the review, from 1")]
    public int Number { get; init; }

    [CommandOption("--title <TEXT>")]
    [Description("The title to give it (default: the follow-up action's text, whole)")]
    public string? Title { get; init; }

    /// <summary>
    /// The title to send: the one given with --title, else the follow-up action's text, whole. A
    /// title the server refuses (too long) is refused, never cut short here: see <see cref="RefusedTitle"/>.
    /// </summary>
    public string TitleFor(string action) => Title ?? action;

    /// <summary>
    /// When the server refused the title taken from the action (field <paramref name="field"/>),
    /// a usage error that says why and names --title; otherwise null (the error stands as it is).
    /// </summary>
    public UsageException? RefusedTitle(RpcException refusal, string field, string trackingId)
    {
        if (Title is not null || refusal.StatusCode != StatusCode.InvalidArgument
            || refusal.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.FirstOrDefault(v => v.Field == field) is not { } violation)
        {
            return null;
        }

        return new UsageException(
            $"Follow-up action {Number} of {trackingId} cannot be the title as it stands ({field} {violation.Description}); give a title with --title.");
    }

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

        [CommandOption("--expected-version <N>")]
        [Description("Apply only if the incident is still at this version (safe concurrent editing; ABORTED otherwise)")]
        public long ExpectedVersion { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var (_, action) = await FollowUpSettings.FollowUpAsync(client, s.TrackingId, s.Number, cancellationToken);
        var request = new AddTaskRequest
        {
            TrackingId = s.TrackingId,
            ExpectedVersion = s.ExpectedVersion,
            Title = s.TitleFor(action),
            AssigneeStakeholderId = s.Stakeholder ?? "",
            AssigneeAnalyst = s.Analyst ?? "",
            DueAt = s.Due is null ? null : Timestamp.FromDateTimeOffset(Words.When(s.Due, DateTimeOffset.UtcNow)),
        };
        try
        {
            var response = await client.Incidents.AddTaskAsync(request, cancellationToken: cancellationToken);
            return Emit(s, response, () => IncidentChanged.Report(Console, response.Incident));
        }
        catch (RpcException ex) when (s.RefusedTitle(ex, "title", s.TrackingId) is { } usage)
        {
            throw usage;
        }
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
            Title = s.TitleFor(action),
            Summary = $"Lessons from {incident.TrackingId} ({incident.RsitClass}/{incident.RsitType}): {incident.Review.Lessons}\nRoot cause: {incident.Review.RootCause}",
            Tlp = Words.Tlp(s.Tlp),
            IncidentTrackingId = incident.TrackingId,
        };
        content.RecommendedActions.Add(action);
        content.TargetSectors.AddRange(s.Sectors.Select(c => c.ToUpperInvariant()));
        content.TargetStakeholders.AddRange(s.Stakeholders);
        CreateAdvisoryResponse response;
        try
        {
            response = await client.Advisories.CreateAdvisoryAsync(new CreateAdvisoryRequest { Content = content }, cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (s.RefusedTitle(ex, "content.title", incident.TrackingId) is { } usage)
        {
            throw usage;
        }

        var advisory = response.Advisory;
        return Emit(s, response, () => Console.MarkupLineInterpolated(
            $"Advisory [bold]{advisory.Id}[/] drafted from follow-up {s.Number} of {incident.TrackingId}; review it (cirt advisories show {advisory.Id}) and publish it."));
    }
}
