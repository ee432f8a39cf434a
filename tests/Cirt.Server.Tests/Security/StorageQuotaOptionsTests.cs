using System.Globalization;

namespace Cirt.Server.Tests.Security;

/// <summary>A storage quota that could refuse a call for good, or a window out of range, stops the server at start, naming the setting.</summary>
public sealed class StorageQuotaOptionsTests
{
    [Theory]
    [InlineData("StorageQuotaBytes", "1000000", "Cirt:Security:StorageQuotaBytes must be at least 4194304")]
    [InlineData("StorageQuotaWindow", "00:00:30", "Cirt:Security:StorageQuotaWindow must be from 00:01:00 to 31.00:00:00 (it is 00:00:30)")]
    [InlineData("StorageQuotaWindow", "32.00:00:00", "Cirt:Security:StorageQuotaWindow must be from 00:01:00 to 31.00:00:00 (it is 32.00:00:00)")]
    public void AnUnusableQuotaStopsTheServerAtStart(string setting, string value, string expected)
    {
        var refused = Assert.Throws<StartupRefusedException>(() => CirtServer.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Cirt:Storage", "Memory",
            "--Cirt:DataDirectory", Path.Combine(Path.GetTempPath(), "cirt-quota-options-" + Guid.NewGuid().ToString("N")),
            "--Cirt:SiloPort", FreePort.Next().ToString(CultureInfo.InvariantCulture),
            "--Cirt:GatewayPort", FreePort.Next().ToString(CultureInfo.InvariantCulture),
            $"--Cirt:Security:{setting}", value,
        ]));

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }
}
