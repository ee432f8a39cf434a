namespace Cirt.EndToEnd.Tests;

/// <summary>
/// deploy/systemd/cirt.service, read the way systemd reads it (sections, keys, repeated keys): the
/// service runs as its own user with the data folder in its state directory, sandboxed, and comes
/// back after a crash but not after a bad setting. (`systemd-analyze verify` and
/// `systemd-analyze security --offline=yes` check it further where systemd is installed.)
/// </summary>
public sealed class SystemdUnitTests
{
    private static readonly string UnitPath = Path.Combine(Binaries.RepositoryRoot, "deploy", "systemd", "cirt.service");

    [Fact]
    public void TheUnitRunsCirtAsItsOwnUserWithTheDataFolderInItsStateDirectory()
    {
        var service = Section("Service");

        Assert.Equal(["yes"], service["DynamicUser"]);
        Assert.Equal(["cirt"], service["StateDirectory"]);
        Assert.Equal(["0700"], service["StateDirectoryMode"]);
        var environment = service["Environment"].SelectMany(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]);
        Assert.Equal("/var/lib/cirt", environment["Cirt__DataDirectory"]);
        // Loopback unless a drop-in says otherwise (with TLS: plain HTTP off loopback is refused at start).
        Assert.All(new[] { "ASPNETCORE_URLS", "Cirt__Http__Url", "Cirt__Metrics__Url" },
            key => Assert.StartsWith("http://127.0.0.1:", environment[key], StringComparison.Ordinal));
        Assert.Equal(["/usr/bin/dotnet /opt/cirt/Cirt.Server.dll"], service["ExecStart"]);
    }

    [Fact]
    public void TheUnitSandboxesTheServiceAndRestartsItOnlyWhenThatCanHelp()
    {
        var service = Section("Service");

        foreach (var (key, value) in new[]
        {
            ("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"), ("ProtectHome", "yes"), ("PrivateTmp", "yes"),
            ("PrivateDevices", "yes"), ("ProtectKernelTunables", "yes"), ("ProtectKernelModules", "yes"),
            ("ProtectControlGroups", "yes"), ("RestrictNamespaces", "yes"), ("RestrictSUIDSGID", "yes"),
            ("LockPersonality", "yes"), ("SystemCallArchitectures", "native"), ("UMask", "0077"),
            ("Restart", "on-failure"), ("RestartPreventExitStatus", "2"),
        })
        {
            Assert.True(service.TryGetValue(key, out var values) && values[^1] == value, $"{key}={value} is missing from {UnitPath}");
        }

        Assert.Equal([""], service["CapabilityBoundingSet"]);
        Assert.Contains("@system-service", service["SystemCallFilter"]);
        Assert.DoesNotContain(service["RestrictAddressFamilies"].Single().Split(' '), family => family is "AF_PACKET" or "AF_BLUETOOTH");
        Assert.True(int.Parse(service["LimitNOFILE"].Single(), System.Globalization.CultureInfo.InvariantCulture) >= 65536);
        // The .NET JIT writes code it then runs: this one would stop the server at its first method.
        Assert.False(service.ContainsKey("MemoryDenyWriteExecute"));
    }

    /// <summary>The keys of one section, each with its values in order (a key may repeat).</summary>
    private static Dictionary<string, List<string>> Section(string name)
    {
        var keys = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        string? section = null;
        foreach (var raw in File.ReadAllLines(UnitPath))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1];
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(equals > 0, $"{UnitPath}: '{line}' is not key=value");
            if (section == name)
            {
                var key = line[..equals].Trim();
                if (!keys.TryGetValue(key, out var values))
                {
                    keys[key] = values = [];
                }

                values.Add(line[(equals + 1)..].Trim());
            }
        }

        Assert.True(keys.Count > 0, $"{UnitPath} has no [{name}] section");
        return keys;
    }
}
