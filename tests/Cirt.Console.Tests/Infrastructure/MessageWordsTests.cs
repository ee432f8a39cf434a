using Cirt.Contracts;
using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Console.Reporting;
using Google.Rpc;
using Grpc.Core;

namespace Cirt.Console.Tests.Infrastructure;

/// <summary>The words of the console's error messages: gRPC status names as gRPC spells them, fields as the console's flags.</summary>
public sealed class MessageWordsTests
{
    [Theory]
    [InlineData(StatusCode.FailedPrecondition, "FAILED_PRECONDITION")]
    [InlineData(StatusCode.InvalidArgument, "INVALID_ARGUMENT")]
    [InlineData(StatusCode.DeadlineExceeded, "DEADLINE_EXCEEDED")]
    [InlineData(StatusCode.PermissionDenied, "PERMISSION_DENIED")]
    [InlineData(StatusCode.OK, "OK")]
    [InlineData(StatusCode.Unauthenticated, "UNAUTHENTICATED")]
    public void StatusNamesAreSpelledAsGrpcSpellsThem(StatusCode code, string name) => Assert.Equal(name, StatusNames.Of(code));

    [Fact]
    public void EveryStatusCodeHasItsCanonicalName() =>
        Assert.All(Enum.GetValues<StatusCode>(), code => Assert.Matches("^[A-Z]+(_[A-Z]+)*$", StatusNames.Of(code)));

    [Theory]
    [InlineData("tlp", "--tlp")]
    [InlineData("tracking_id", "<TRACKING-ID>")]
    [InlineData("rsit_class", "--class")]
    [InlineData("expected_version", "--expected-version")]
    [InlineData("severity", "--severity")]
    [InlineData("incident_version", "incident_version")]
    [InlineData("", "")]
    public void AFieldIsNamedByTheFlagThatSetsIt(string field, string shown) =>
        Assert.Equal(shown, FieldNames.Flag(typeof(TriageIncidentCommand.Settings), field));

    [Theory]
    [InlineData("title", "--title")]
    [InlineData("severity", "--severity")]
    [InlineData("observables[2].value", "observables[2].value")]
    [InlineData("request_id", "--request-id")]
    public void AReportsFieldsAreNamedByItsFlags(string field, string shown) =>
        Assert.Equal(shown, FieldNames.Flag(typeof(ReportCommand.Settings), field));

    [Fact]
    public void TheViolationsListedInTheMessageAreLeftToTheirOwnLines()
    {
        var violations = new[]
        {
            new BadRequest.Types.FieldViolation { Field = "title", Description = "is required" },
            new BadRequest.Types.FieldViolation { Field = "tlp", Description = "is required" },
        };

        Assert.Equal("Invalid request.", CirtCommand<ConnectionSettings>.Headline("Invalid request: title: is required; tlp: is required", violations));
        Assert.Equal("Incident version is stale", CirtCommand<ConnectionSettings>.Headline("Incident version is stale", violations));
        Assert.Equal("Incident version is stale", CirtCommand<ConnectionSettings>.Headline("Incident version is stale", []));
    }
}
