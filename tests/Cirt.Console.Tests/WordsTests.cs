using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;

namespace Cirt.Console.Tests;

public sealed class WordsTests
{
    [Theory]
    [InlineData("amber+strict", Tlp.AmberStrict)]
    [InlineData("TLP:AMBER+STRICT", Tlp.AmberStrict)]
    [InlineData("clear", Tlp.Clear)]
    [InlineData("Red", Tlp.Red)]
    public void TlpLabelsAreReadAsPeopleWriteThem(string word, Tlp expected) => Assert.Equal(expected, Words.Tlp(word));

    [Theory]
    [InlineData("responding", IncidentStatus.Responding)]
    [InlineData("DUPLICATE", IncidentStatus.Duplicate)]
    public void StatusesAreReadCaseInsensitively(string word, IncidentStatus expected) => Assert.Equal(expected, Words.Status(word));

    [Fact]
    public void AnUnknownWordListsTheChoices()
    {
        var ex = Assert.Throws<UsageException>(() => Words.Severity("apocalyptic"));

        Assert.Equal("'apocalyptic' is not a severity; use one of: low, medium, high, critical.", ex.Message);
    }

    [Fact]
    public void StakeholderTypesAreKebabCase()
    {
        Assert.Equal(StakeholderType.EssentialServiceOperator, Words.StakeholderType("essential-service-operator"));
        Assert.Equal("essential-service-operator", Words.Of(StakeholderType.EssentialServiceOperator));
        Assert.Equal("TLP:AMBER+STRICT", Words.Of(Tlp.AmberStrict));
    }

    [Theory]
    [InlineData("early-warning", DeadlineKind.Nis2EarlyWarning)]
    [InlineData("notification", DeadlineKind.Nis2Notification)]
    [InlineData("NIS2-final-report", DeadlineKind.Nis2FinalReport)]
    public void Nis2StagesAreReadAsPeopleSayThem(string word, DeadlineKind expected) => Assert.Equal(expected, Words.Stage(word));

    [Fact]
    public void AnUnknownStageListsTheStages()
    {
        var ex = Assert.Throws<UsageException>(() => Words.Stage("postmortem"));

        Assert.Equal("'postmortem' is not a NIS2 stage; use one of: early-warning, notification, final-report.", ex.Message);
    }
}
