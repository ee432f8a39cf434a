using System.ComponentModel;
using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Reviews;

/// <summary>cirt review record: record (or revise) an incident's post-incident review.</summary>
public sealed class RecordReviewCommand(IAnsiConsole console) : CirtCommand<RecordReviewCommand.Settings>(console)
{
    public sealed class Settings : IncidentChangeSettings
    {
        [CommandOption("--what-happened <TEXT>")]
        [Description("Required: the account of the incident")]
        public string WhatHappened { get; init; } = "";

        [CommandOption("--root-cause <TEXT>")]
        [Description("Required")]
        public string RootCause { get; init; } = "";

        [CommandOption("--what-worked <TEXT>")]
        public string WhatWorked { get; init; } = "";

        [CommandOption("--lessons <TEXT>")]
        public string Lessons { get; init; } = "";

        [CommandOption("--follow-up <ACTION>")]
        [Description("A follow-up action (repeatable)")]
        public string[] FollowUps { get; init; } = [];
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var request = new RecordReviewRequest
        {
            TrackingId = s.TrackingId,
            WhatHappened = s.WhatHappened,
            RootCause = s.RootCause,
            WhatWorked = s.WhatWorked,
            Lessons = s.Lessons,
            ExpectedVersion = s.ExpectedVersion,
        };
        request.FollowUpActions.AddRange(s.FollowUps);
        var response = await client.Incidents.RecordReviewAsync(request, cancellationToken: cancellationToken);
        return Emit(s, response, () => IncidentChanged.Report(Console, response.Incident));
    }
}
