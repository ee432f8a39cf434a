using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cirt.Benchmarks.Ingest;

/// <summary>The real Cirt.Server (Release build), started on the embedded profile in a fresh temporary folder.</summary>
public sealed class CirtProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _dataDirectory;
    private bool _keepData;

    private CirtProcess(Process process, string dataDirectory, string url)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        Url = url;
    }

    public string Url { get; }

    /// <summary>The server's data folder (on the disk its acknowledgements wait for).</summary>
    public string DataDirectory => _dataDirectory;

    public string BootstrapKey => File.ReadAllText(Path.Combine(_dataDirectory, "bootstrap-coordinator.key")).Trim();

    /// <summary>Hands every line the server writes to its standard output from now on to <paramref name="line"/>.</summary>
    public void OnOutput(Action<string> line) => _process.OutputDataReceived += (_, e) =>
    {
        if (e.Data is not null)
        {
            line(e.Data);
        }
    };

    /// <summary>Peak resident memory so far (VmHWM), in MiB.</summary>
    public long PeakRssMb() => StatusMb("VmHWM:");

    /// <summary>Resident memory now (VmRSS), in MiB.</summary>
    public long RssMb() => StatusMb("VmRSS:");

    /// <summary>What the server has caused to be written to storage so far (write_bytes), in MiB.</summary>
    public long WrittenMb()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/io").FirstOrDefault(l => l.StartsWith("write_bytes:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line["write_bytes:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture) / (1024 * 1024);
    }

    private long StatusMb(string field)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>CPU time the server has used so far (user and system), in seconds.</summary>
    public double CpuSeconds()
    {
        // /proc/PID/stat: the fields after the command's closing parenthesis; utime and stime are the 12th and 13th, in clock ticks (100 a second).
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
    }

    private const string ServerEnvironmentPrefix = "CIRT_BENCH_SERVER_ENV_";

    public static CirtProcess Start(string serverDll, int duplicateWindowTargets) => Start(serverDll, new Dictionary<string, string>
    {
        ["Cirt__Ingest__DuplicateWindowTargets"] = duplicateWindowTargets.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    /// <summary>Starts the server with <paramref name="settings"/> as extra environment variables (e.g. Cirt__Security__StreamsTotal).</summary>
    public static CirtProcess Start(string serverDll, IReadOnlyDictionary<string, string> settings) =>
        Start(serverDll, settings, Path.Combine(Path.GetTempPath(), "cirt-bench-" + Guid.NewGuid().ToString("N")), $"http://127.0.0.1:{FreePort()}");

    /// <summary>Kills the server (as kill -9 would) and starts it again on the same folder, address and settings.</summary>
    public static CirtProcess Restart(CirtProcess stopped, string serverDll, IReadOnlyDictionary<string, string> settings)
    {
        stopped.Kill();
        return Start(serverDll, settings, stopped._dataDirectory, stopped.Url);
    }

    /// <summary>Kills the server at once, keeping its data folder for a restart.</summary>
    public void Kill()
    {
        _keepData = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    private static CirtProcess Start(string serverDll, IReadOnlyDictionary<string, string> settings, string dataDirectory, string url)
    {
        var info = new ProcessStartInfo("dotnet", [serverDll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_URLS"] = url;
        // No HTTP endpoint (TAXII) and no metrics endpoint: the benchmark measures gRPC, and its one "Now listening" line is then gRPC's.
        info.Environment["Cirt__Http__Url"] = "";
        info.Environment["Cirt__Metrics__Url"] = "";
        info.Environment["Cirt__DataDirectory"] = dataDirectory;
        info.Environment["Cirt__SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Cirt__GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Cirt__Security__PermitsPerSecond"] = "1000000";
        info.Environment["Cirt__Security__Burst"] = "1000000";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        info.Environment["Logging__LogLevel__Cirt.Server.Ingest"] = Environment.GetEnvironmentVariable("CIRT_BENCH_SERVER_LOG") ?? "Warning"; // e.g. Debug: one line per aggregation pass
        foreach (var (name, value) in settings)
        {
            info.Environment[name] = value;
        }

        // Settings for the server alone (e.g. CIRT_BENCH_SERVER_ENV_DOTNET_GCConserveMemory=5), so that
        // runtime experiments do not change the load generator too.
        foreach (var (name, value) in Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                     .Select(v => ((string)v.Key, (string?)v.Value))
                     .Where(v => v.Item1.StartsWith(ServerEnvironmentPrefix, StringComparison.Ordinal)))
        {
            info.Environment[name[ServerEnvironmentPrefix.Length..]] = value;
        }

        var process = Process.Start(info)!;
        var listening = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("Now listening on", StringComparison.Ordinal) == true)
            {
                listening.TrySetResult();
            }
            else if (e.Data is not null && Environment.GetEnvironmentVariable("CIRT_BENCH_SERVER_LOG") is not null)
            {
                Console.WriteLine("server: " + e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine("server: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var started = Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(90))).GetAwaiter().GetResult();
        if (started == exited)
        {
            throw new InvalidOperationException($"Cirt.Server exited with code {process.ExitCode} before listening (its output is above).");
        }

        if (started != listening.Task)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("Cirt.Server did not start within 90 s.");
        }

        return new CirtProcess(process, dataDirectory, url);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        if (_keepData)
        {
            return;
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The server binary built beside this benchmark (same configuration).</summary>
    public static string ServerDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var path = Path.Combine(RepositoryRoot(), "src", "Cirt.Server", "bin", configuration, "net10.0", "Cirt.Server.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the server first: dotnet build src/Cirt.Server -c {configuration}", path);
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cirt.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Cirt.sln not found above " + AppContext.BaseDirectory);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
