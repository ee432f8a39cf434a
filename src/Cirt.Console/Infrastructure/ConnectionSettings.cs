using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Infrastructure;

/// <summary>Options every command takes: where the servers are, which key to call them with, how long to wait, how to answer.</summary>
public class ConnectionSettings : CommandSettings
{
    public const string DefaultServer = "http://127.0.0.1:5080";

    /// <summary>A call's deadline when neither --timeout nor CIRT_TIMEOUT gives one.</summary>
    public const double DefaultTimeoutSeconds = 30;

    private const double MaxTimeoutSeconds = 24 * 60 * 60;

    [CommandOption("--server <URL>")]
    [Description("Cirt server address; several (repeat the option, or separate with commas) are tried in turn when one cannot be reached (default: $CIRT_SERVER, else the ones saved by cirt login, else " + DefaultServer + ")")]
    public string[] Servers { get; init; } = [];

    [CommandOption("--timeout <SECONDS>")]
    [Description("Deadline of each call to the server, in seconds (default: $CIRT_TIMEOUT, else 30); following a stream has none")]
    public double? Timeout { get; init; }

    [CommandOption("--key <API-KEY>")]
    [Description("API key (default: $CIRT_API_KEY, else the one saved by cirt login)")]
    public string? ApiKey { get; init; }

    [CommandOption("--output <FORMAT>")]
    [Description("table (default): for people; json: the response as one JSON document in the protobuf JSON mapping (lowerCamelCase field names, enum names as in the protos), for scripts; a stream (cirt inbox) writes one JSON document per line, one per message")]
    public string Output { get; init; } = "table";

    /// <summary>Whether the caller asked for the response as JSON (--output json).</summary>
    public bool WantsJson => Output.Equals("json", StringComparison.OrdinalIgnoreCase);

    private readonly Lazy<ConsoleConfig?> _saved = new(ConsoleConfig.Load);

    public override ValidationResult Validate()
    {
        if (!Output.Equals("json", StringComparison.OrdinalIgnoreCase) && !Output.Equals("table", StringComparison.OrdinalIgnoreCase))
        {
            return ValidationResult.Error($"--output '{Output}' is not a format; use table or json.");
        }

        if (Timeout is { } seconds && !(seconds > 0 && seconds <= MaxTimeoutSeconds))
        {
            return ValidationResult.Error($"--timeout {seconds.ToString(CultureInfo.InvariantCulture)} is not a deadline; give seconds above 0, at most {MaxTimeoutSeconds}.");
        }

        return base.Validate();
    }

    /// <summary>
    /// The servers to call, in the order they are tried: every --server (each may list several,
    /// separated by commas), else $CIRT_SERVER (comma-separated), else what cirt login saved, else
    /// <see cref="DefaultServer"/>. Each is an absolute http:// or https:// address.
    /// </summary>
    /// <exception cref="UsageException">An address is not an http:// or https:// URL.</exception>
    public IReadOnlyList<string> ResolveServers()
    {
        var given = Servers.Length > 0 ? Servers
            : Environment.GetEnvironmentVariable("CIRT_SERVER") is { Length: > 0 } fromEnv ? [fromEnv]
            : _saved.Value?.Server is { Length: > 0 } saved ? [saved]
            : [DefaultServer];
        var addresses = given
            .SelectMany(list => list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (addresses.Count == 0)
        {
            throw new UsageException("--server names no address; give one, e.g. " + DefaultServer + ".");
        }

        foreach (var address in addresses)
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new UsageException($"'{address}' is not a server address; give an http:// or https:// URL, e.g. {DefaultServer}.");
            }
        }

        return addresses;
    }

    /// <summary>The deadline of each unary call: --timeout, else $CIRT_TIMEOUT, else 30 seconds.</summary>
    /// <exception cref="UsageException">$CIRT_TIMEOUT is not a number of seconds above 0.</exception>
    public TimeSpan ResolveTimeout()
    {
        if (Timeout is { } seconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (Environment.GetEnvironmentVariable("CIRT_TIMEOUT") is not { Length: > 0 } fromEnv)
        {
            return TimeSpan.FromSeconds(DefaultTimeoutSeconds);
        }

        return double.TryParse(fromEnv, NumberStyles.Float, CultureInfo.InvariantCulture, out var envSeconds) && envSeconds > 0 && envSeconds <= MaxTimeoutSeconds
            ? TimeSpan.FromSeconds(envSeconds)
            : throw new UsageException($"CIRT_TIMEOUT '{fromEnv}' is not a deadline; give seconds above 0, at most {MaxTimeoutSeconds}.");
    }

    public string? ResolveApiKey() =>
        ApiKey
        ?? (Environment.GetEnvironmentVariable("CIRT_API_KEY") is { Length: > 0 } fromEnv ? fromEnv : _saved.Value?.ApiKey);
}
