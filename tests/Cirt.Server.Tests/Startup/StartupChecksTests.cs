using System.Globalization;

namespace Cirt.Server.Tests.Startup;

/// <summary>A bad setting of any section stops the server before anything is created, naming the key and the rule.</summary>
public sealed class StartupChecksTests
{
    [Theory]
    [InlineData("Cirt:Security:PermitsPerSecond", "-5", "Cirt:Security:PermitsPerSecond must be at least 1 (it is -5)")]
    [InlineData("Cirt:Security:Burst", "0", "Cirt:Security:Burst must be at least 1 (it is 0)")]
    [InlineData("Cirt:Deadlines:TriageHigh", "-01:00:00", "Cirt:Deadlines:TriageHigh must be longer than zero (it is -01:00:00)")]
    [InlineData("Cirt:Deadlines:CheckPeriod", "00:00:00", "Cirt:Deadlines:CheckPeriod must be longer than zero")]
    [InlineData("Cirt:Contacts:StaleAfter", "00:00:00", "Cirt:Contacts:StaleAfter must be longer than zero")]
    [InlineData("Cirt:ProjectionSweep:Limit", "0", "Cirt:ProjectionSweep:Limit must be at least 1 (it is 0)")]
    [InlineData("Cirt:ProjectionSweep:Period", "00:00:00", "Cirt:ProjectionSweep:Period must be from 00:00:00.1 to 01:00:00")]
    [InlineData("Cirt:Advisories:ChaseAfter", "-1.00:00:00", "Cirt:Advisories:ChaseAfter must be longer than zero")]
    [InlineData("Cirt:Ingest:QueueCapacity", "0", "Cirt:Ingest:QueueCapacity must be at least 1 (it is 0)")]
    [InlineData("Cirt:Ingest:DuplicateWindowTargets", "1", "Cirt:Ingest:DuplicateWindowTargets must be at least 2 (it is 1)")]
    [InlineData("Cirt:FreeSpace:WarningMegabytes", "-1", "Cirt:FreeSpace:WarningMegabytes must be 0 (no warning) or more (it is -1)")]
    [InlineData("Cirt:FreeSpace:CheckInterval", "00:00:00", "Cirt:FreeSpace:CheckInterval must be from 00:00:00.1 to 00:10:00 (it is 00:00:00)")]
    [InlineData("Cirt:Grains:IncidentsIdleAfter", "00:00:10", "Cirt:Grains:IncidentsIdleAfter must be from 00:01:00 to 1.00:00:00 (it is 00:00:10)")]
    [InlineData("Cirt:Grains:IdleAfter", "2.00:00:00", "Cirt:Grains:IdleAfter must be from 00:01:00 to 1.00:00:00 (it is 2.00:00:00)")]
    [InlineData("Cirt:SiloPort", "70000", "Cirt:SiloPort must be a port from 0 to 65535 (it is 70000)")]
    [InlineData("Cirt:Security:PermitsPerSecond", "many", "Cirt:Security:PermitsPerSecond")]
    [InlineData("Cirt:Storage", "Cloud", "Cirt:Storage")]
    [InlineData("urls", "http://[::1:5099", "Refusing to serve plain HTTP on http://[::1:5099")]
    public void ABadSettingStopsTheServerBeforeTheDataFolderIsCreated(string key, string value, string expected)
    {
        var data = Path.Combine(Path.GetTempPath(), "cirt-startup-checks-" + Guid.NewGuid().ToString("N"));

        var refused = Assert.Throws<StartupRefusedException>(() => CirtServer.Build(["--Cirt:DataDirectory", data, $"--{key}", value]));

        Assert.Contains(refused.Problems, problem => problem.Contains(expected, StringComparison.Ordinal));
        Assert.False(Directory.Exists(data), "the data folder was created by a server that refused to start");
    }

    [Fact]
    public void EveryProblemIsReportedAtOnceOneSentenceEach()
    {
        var data = Path.Combine(Path.GetTempPath(), "cirt-startup-checks-" + Guid.NewGuid().ToString("N"));

        var refused = Assert.Throws<StartupRefusedException>(() => CirtServer.Build(
        [
            "--Cirt:DataDirectory", data,
            "--Cirt:Security:PermitsPerSecond", "-5",
            "--Cirt:Contacts:StaleAfter", "00:00:00",
            "--urls", "http://0.0.0.0:5099",
        ]));

        Assert.Equal(3, refused.Problems.Count);
        Assert.All(refused.Problems, problem => Assert.DoesNotContain('\n', problem));
        Assert.Contains(refused.Problems, problem => problem.StartsWith("Refusing to serve plain HTTP on http://0.0.0.0:5099", StringComparison.Ordinal));
        Assert.False(Directory.Exists(data));
    }

    [Fact]
    public void ADataFolderThatCannotBeCreatedIsOneLineToo()
    {
        var blocker = Path.GetTempFileName();
        try
        {
            var refused = Assert.Throws<StartupRefusedException>(() => CirtServer.Build(
            [
                "--Cirt:DataDirectory", Path.Combine(blocker, "data"),
                "--Cirt:SiloPort", FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ]));

            Assert.StartsWith("Cirt:DataDirectory: cannot create or use the folder", Assert.Single(refused.Problems), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(blocker);
        }
    }
}
