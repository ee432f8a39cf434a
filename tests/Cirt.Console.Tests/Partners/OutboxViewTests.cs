using Cirt.Console.Partners;
using Cirt.Contracts.V1;
using Google.Protobuf;
using Spectre.Console.Testing;

namespace Cirt.Console.Tests.Partners;

/// <summary>What a coordinator reads about a held message: what was found, where, and the text around it as it would leave.</summary>
public sealed class OutboxViewTests
{
    private static PersonalDataFinding Finding(string field, PersonalDataKind kind, string match, int offset) =>
        new() { Field = field, Kind = kind, Match = match, Offset = offset };

    [Fact]
    public void AHeldMessageSaysWhatWasFoundWhereInPlainWords()
    {
        Assert.Equal("held for approval: 1 e-mail address in summary",
            OutboxView.HeldSummary([Finding("summary", PersonalDataKind.EmailAddress, "jan@gridco.example", 12)]));
        Assert.Equal("held for approval: 2 phone numbers in recommended_actions[1], 1 IP address in timeline[4].text",
            OutboxView.HeldSummary(
            [
                Finding("recommended_actions[1]", PersonalDataKind.PhoneNumber, "+31 20 123 4567", 5),
                Finding("recommended_actions[1]", PersonalDataKind.PhoneNumber, "+31 20 765 4321", 30),
                Finding("timeline[4].text", PersonalDataKind.IpAddress, "192.0.2.10", 0),
            ]));
    }

    [Fact]
    public void EachFindingShowsItsFieldKindMatchAndTheTextAsItWouldLeave()
    {
        var payload = new FederatedPayload
        {
            Kind = SharedItemKind.Incident,
            Action = OutboxAction.Publish,
            Incident = new SharedIncident { Title = "Phishing wave", Timeline = { new SharedTimelineEntry { Text = "Reported" }, new SharedTimelineEntry { Text = "Call [redacted] for the logs" } } },
        };
        var parsed = OutboxPayload.Parse(JsonFormatter.Default.Format(payload));
        var console = new TestConsole().Width(300);

        console.Write(OutboxView.Findings([Finding("timeline[1].text", PersonalDataKind.PhoneNumber, "+31 20 123 4567", 5)], parsed));

        Assert.Contains("timeline[1].text", console.Output);
        Assert.Contains("phone number", console.Output);
        Assert.Contains("+31 20 123 4567", console.Output);
        Assert.Contains("Call [redacted] for the logs", console.Output);
    }

    [Theory]
    [InlineData("title", "Phishing wave")]
    [InlineData("indicators[0].value", "evil.example")]
    [InlineData("timeline[0].text", "Reported")]
    [InlineData("incident.title", "Phishing wave")]
    public void AFindingsFieldIsFoundInTheItemOrThePayload(string path, string expected)
    {
        var payload = new FederatedPayload
        {
            Incident = new SharedIncident
            {
                Title = "Phishing wave",
                Indicators = { new Observable { Type = ObservableType.Domain, Value = "evil.example" } },
                Timeline = { new SharedTimelineEntry { Text = "Reported" } },
            },
        };

        Assert.Equal(expected, OutboxPayload.Field(OutboxPayload.Parse(JsonFormatter.Default.Format(payload))!, path));
    }

    [Theory]
    [InlineData("timeline[3].text")]
    [InlineData("timeline.text")]
    [InlineData("severity")]
    [InlineData("no_such_field")]
    public void APathThatLeadsToNoTextGivesNothing(string path)
    {
        var payload = new FederatedPayload { Incident = new SharedIncident { Title = "Phishing wave", Timeline = { new SharedTimelineEntry { Text = "Reported" } } } };

        Assert.Null(OutboxPayload.Field(payload, path));
    }

    [Fact]
    public void ALongTextIsCutAroundTheFinding()
    {
        var text = new string('a', 200) + "jan@gridco.example" + new string('b', 200);

        var excerpt = OutboxPayload.Excerpt(text, 200, 18, around: 10);

        Assert.Equal("…aaaaaaaaaajan@gridco.examplebbbbbbbbbb…", excerpt);
    }
}
