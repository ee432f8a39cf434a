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

    [Theory]
    [InlineData(1200, false, "1200")]
    [InlineData(10000, true, "at least 10000")]
    public void ABoundedTotalSaysAtLeast(int total, bool isLowerBound, string expected) =>
        Assert.Equal(expected, Cirt.Console.Incidents.IncidentView.Total(total, isLowerBound));

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
    [InlineData("intermediate-report", DeadlineKind.Nis2IntermediateReport)]
    [InlineData("intermediate", DeadlineKind.Nis2IntermediateReport)]
    [InlineData("progress-report", DeadlineKind.Nis2ProgressReport)]
    [InlineData("Progress", DeadlineKind.Nis2ProgressReport)]
    public void Nis2StagesAreReadAsPeopleSayThem(string word, DeadlineKind expected) => Assert.Equal(expected, Words.Stage(word));

    [Fact]
    public void AnUnknownStageListsTheStages()
    {
        var ex = Assert.Throws<UsageException>(() => Words.Stage("postmortem"));

        Assert.Equal("'postmortem' is not a NIS2 stage; use one of: early-warning, notification, intermediate-report, progress-report, final-report.", ex.Message);
    }

    [Fact]
    public void DueTimesAreReadAsSpansOrIsoTimes()
    {
        var now = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

        Assert.Equal(now.AddMinutes(30), Words.When("30m", now));
        Assert.Equal(now.AddHours(4), Words.When("4h", now));
        Assert.Equal(now.AddDays(1.5), Words.When("1.5d", now));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero), Words.When("2026-11-26T08:00Z", now));
        Assert.Equal("'soon' is neither a span (30m, 4h, 2d) nor a time (2026-11-26T08:00Z).", Assert.Throws<UsageException>(() => Words.When("soon", now)).Message);
    }

    [Fact]
    public void SpansAreReadForServerSideCountingAndTimesAreNotSpans()
    {
        Assert.Equal(TimeSpan.FromHours(48), Words.Span("48h"));
        Assert.Equal(TimeSpan.FromDays(2), Words.Span(" 2d "));
        Assert.Null(Words.Span("2026-11-26T08:00Z"));
        Assert.Null(Words.Span("-4h"));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero), Words.Time("2026-11-26T08:00Z"));
    }

    [Fact]
    public void TaskStatusesAreKebabCase() => Assert.Equal(IncidentTaskStatus.InProgress, Words.TaskStatus("in-progress"));

    [Theory]
    [InlineData("advisory", SharedItemKind.Advisory)]
    [InlineData("Advisories", SharedItemKind.Advisory)]
    [InlineData("incidents", SharedItemKind.Incident)]
    public void KindsOfSharedItemAreReadInTheSingularOrThePlural(string word, SharedItemKind expected) => Assert.Equal(expected, Words.ItemKind(word));

    [Theory]
    [InlineData("pseudonymised", PersonalDataPolicy.Pseudonymised)]
    [InlineData("pseudonymized", PersonalDataPolicy.Pseudonymised)]
    [InlineData("NONE", PersonalDataPolicy.None)]
    public void PersonalDataPoliciesAreReadInEitherSpelling(string word, PersonalDataPolicy expected) => Assert.Equal(expected, Words.PersonalData(word));

    [Fact]
    public void PersonalDataIsCountedInPlainWords()
    {
        Assert.Equal("1 e-mail address", Words.Count(PersonalDataKind.EmailAddress, 1));
        Assert.Equal("3 e-mail addresses", Words.Count(PersonalDataKind.EmailAddress, 3));
        Assert.Equal("2 phone numbers", Words.Count(PersonalDataKind.PhoneNumber, 2));
        Assert.Equal("2 IP addresses", Words.Count(PersonalDataKind.IpAddress, 2));
        Assert.Equal("half-open (one trial delivery decides)", Words.Of(CircuitState.HalfOpen));
    }
}
