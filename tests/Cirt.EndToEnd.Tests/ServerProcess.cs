using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cirt.EndToEnd.Tests;

/// <summary>The real Cirt.Server process, started as `dotnet Cirt.Server.dll` on a data folder of its own.</summary>
public sealed class ServerProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    private readonly StringBuilder _output = new();
    private Process? _process;
    private bool _httpListening;
    private bool _grpcListening;

    public ServerProcess(string dataDirectory)
    {
        DataDirectory = dataDirectory;
        HttpUrl = $"http://127.0.0.1:{FreePort()}";
    }

    /// <summary>A server whose gRPC port is picked here rather than by the system, so that clients can be given its address before it first starts.</summary>
    public ServerProcess(string dataDirectory, int grpcPort)
        : this(dataDirectory)
    {
        Url = $"http://127.0.0.1:{grpcPort}";
    }

    public string DataDirectory { get; }

    /// <summary>Configuration for the server beyond its data folder and ports, as environment variables (e.g. Cirt__Ingest__AggregationFlushInterval).</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>Where the server listens for gRPC: a port the system picked at the first start, kept across restarts.</summary>
    public string Url { get; private set; } = "http://127.0.0.1:0";

    /// <summary>Where its HTTP/1.1 endpoint (TAXII under /taxii2/) listens: a free port picked here, kept across restarts.</summary>
    public string HttpUrl { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The coordinator key the server wrote at its first start.</summary>
    public string BootstrapKey => File.ReadAllText(Path.Combine(DataDirectory, "bootstrap-coordinator.key")).Trim();

    public void Start()
    {
        _httpListening = false;
        _grpcListening = false;
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var info = StartInfo();
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        _process = process;
        process.OutputDataReceived += (_, e) => Record(e.Data, listening);
        process.ErrorDataReceived += (_, e) => Record(e.Data, listening);
        process.Exited += (_, _) =>
        {
            if (!listening.Task.IsCompleted)
            {
                // Its last lines first: they say why.
                process.WaitForExit();
                listening.TrySetException(new InvalidOperationException("The server exited during start:\n" + Output));
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!listening.Task.Wait(StartTimeout))
        {
            throw new TimeoutException($"The server did not start listening within {StartTimeout.TotalSeconds} s:\n{Output}");
        }
    }

    /// <summary>
    /// Runs the server expecting it to refuse to start: waits (up to the start timeout) for it to
    /// exit, and returns its exit code and everything it wrote to stdout and stderr.
    /// </summary>
    public (int ExitCode, string Output) RunUntilExit()
    {
        using var process = Process.Start(StartInfo()) ?? throw new InvalidOperationException("The server process did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(StartTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The server did not exit within {StartTimeout.TotalSeconds} s.");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private ProcessStartInfo StartInfo()
    {
        var info = new ProcessStartInfo("dotnet", [Binaries.Server])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.Environment["ASPNETCORE_URLS"] = Url;
        info.Environment["Cirt__Http__Url"] = HttpUrl;
        // No scrape endpoint: "Now listening" stays one line for gRPC and one for the HTTP endpoint.
        info.Environment["Cirt__Metrics__Url"] = "";
        info.Environment["Cirt__DataDirectory"] = DataDirectory;
        SiloPort = FreePort();
        info.Environment["Cirt__SiloPort"] = SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Cirt__GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in Settings)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    /// <summary>The Orleans silo-to-silo port of the latest start: a new one at each start.</summary>
    public int SiloPort { get; private set; }

    /// <summary>Whether the process runs (started and not exited).</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Stops the server as a service manager does (SIGTERM), and waits until it has shut down and exited.</summary>
    public void Stop()
    {
        if (_process is { HasExited: false } running)
        {
            using (var term = Process.Start("kill", ["-TERM", running.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                term.WaitForExit();
            }

            if (!running.WaitForExit(StopTimeout))
            {
                throw new TimeoutException($"The server did not stop within {StopTimeout.TotalSeconds} s of SIGTERM:\n{Output}");
            }

            // Also waits for the last lines of its output to be read.
            running.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>kill -9: no shutdown, no flush, nothing the process can do about it.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose() => Kill();

    private void Record(string? line, TaskCompletionSource listening)
    {
        if (line is null)
        {
            return;
        }

        const string Listening = "Now listening on: ";
        lock (_output)
        {
            _output.AppendLine(line);
            var at = line.IndexOf(Listening, StringComparison.Ordinal);
            if (at < 0)
            {
                return;
            }

            // One line per endpoint: the HTTP endpoint's URL is ours; the other is gRPC's.
            var url = line[(at + Listening.Length)..].Trim();
            if (url == HttpUrl)
            {
                _httpListening = true;
            }
            else
            {
                Url = url;
                _grpcListening = true;
            }

            if (_httpListening && _grpcListening)
            {
                listening.TrySetResult();
            }
        }
    }

    private static int FreePort() => Cirt.Tests.LoopbackPorts.Next();
}
