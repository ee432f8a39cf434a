namespace Cirt.Server.Tests.Ingest;

/// <summary>A retention that is not a positive duration stops the server at start, in one line naming the key and the rule.</summary>
public sealed class RetentionOptionsTests
{
    [Theory]
    [InlineData("Cirt:Retention:IngestLog", "00:00:00", "Cirt:Retention:IngestLog must be longer than zero (it is 00:00:00).")]
    [InlineData("Cirt:Retention:Unmatched", "-1.00:00:00", "Cirt:Retention:Unmatched must be longer than zero (it is -1.00:00:00).")]
    [InlineData("Cirt:Retention:ResendKeys", "-00:00:01", "Cirt:Retention:ResendKeys must be longer than zero (it is -00:00:01).")]
    [InlineData("Cirt:Retention:Interval", "00:00:00", "Cirt:Retention:Interval must be longer than zero (it is 00:00:00).")]
    [InlineData("Cirt:Retention:BatchRows", "0", "Cirt:Retention:BatchRows must be at least 1 (it is 0).")]
    public void ARetentionThatIsNotPositiveStopsTheServerInOneLine(string key, string value, string expected)
    {
        var data = Path.Combine(Path.GetTempPath(), "cirt-retention-options-" + Guid.NewGuid().ToString("N"));

        var refused = Assert.Throws<StartupRefusedException>(() => CirtServer.Build(["--Cirt:DataDirectory", data, $"--{key}", value]));

        Assert.Equal(expected, Assert.Single(refused.Problems));
        Assert.False(Directory.Exists(data), "the data folder was created by a server that refused to start");
    }
}
