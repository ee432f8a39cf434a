using System.ComponentModel;
using System.Globalization;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Playbooks;

/// <summary>cirt playbooks set: replace an RSIT class's playbook (coordinators).</summary>
public sealed class SetPlaybookCommand(IAnsiConsole console) : CirtCommand<SetPlaybookCommand.Settings>(console)
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandArgument(0, "<RSIT-CLASS>")]
        [Description("e.g. malicious-code")]
        public string RsitClass { get; init; } = "";

        [CommandOption("--step <STEP>")]
        [Description("One step as WHO:HOURS:TITLE, WHO being reporter or cirt (repeatable, in order), e.g. \"reporter:4:Isolate the infected hosts\"")]
        public string[] Steps { get; init; } = [];

        [CommandOption("--expected-version <N>")]
        [Description("Apply only if the playbook is still at this version")]
        public long ExpectedVersion { get; init; }
    }

    protected override async Task<int> RunAsync(CirtClient client, Settings s, CancellationToken cancellationToken)
    {
        var request = new SetPlaybookRequest { RsitClass = s.RsitClass, ExpectedVersion = s.ExpectedVersion };
        request.Steps.AddRange(s.Steps.Select(Parse));
        var response = await client.Playbooks.SetPlaybookAsync(request, cancellationToken: cancellationToken);
        return Emit(s, response, () => ShowPlaybookCommand.Write(Console, response.Playbook));
    }

    private static PlaybookStep Parse(string text)
    {
        var parts = text.Split(':', 3);
        if (parts.Length != 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var hours))
        {
            throw new UsageException($"--step '{text}' is not WHO:HOURS:TITLE (e.g. \"reporter:4:Isolate the infected hosts\").");
        }

        var assignee = parts[0].Trim().ToLowerInvariant() switch
        {
            "reporter" => StepAssignee.Reporter,
            "cirt" => StepAssignee.Cirt,
            _ => throw new UsageException($"--step '{text}': '{parts[0]}' is not reporter or cirt."),
        };
        return new PlaybookStep { Title = parts[2].Trim(), Assignee = assignee, DueWithinHours = hours };
    }
}
