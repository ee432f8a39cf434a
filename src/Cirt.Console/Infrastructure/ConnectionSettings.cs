using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Infrastructure;

/// <summary>Options every command takes: where the server is and which key to call it with.</summary>
public class ConnectionSettings : CommandSettings
{
    public const string DefaultServer = "http://127.0.0.1:5080";

    [CommandOption("--server <URL>")]
    [Description("Cirt server address (default: $CIRT_SERVER, else the one saved by cirt login, else " + DefaultServer + ")")]
    public string? Server { get; init; }

    [CommandOption("--key <API-KEY>")]
    [Description("API key (default: $CIRT_API_KEY, else the one saved by cirt login)")]
    public string? ApiKey { get; init; }

    [CommandOption("--output <FORMAT>")]
    [Description("table (default): for people; json: the response as one JSON document in the protobuf JSON mapping (lowerCamelCase field names, enum names as in the protos), for scripts")]
    public string Output { get; init; } = "table";

    /// <summary>Whether the caller asked for the response as JSON (--output json).</summary>
    public bool WantsJson => Output.Equals("json", StringComparison.OrdinalIgnoreCase);

    private readonly Lazy<ConsoleConfig?> _saved = new(ConsoleConfig.Load);

    public override ValidationResult Validate() =>
        Output.Equals("json", StringComparison.OrdinalIgnoreCase) || Output.Equals("table", StringComparison.OrdinalIgnoreCase)
            ? base.Validate()
            : ValidationResult.Error($"--output '{Output}' is not a format; use table or json.");

    public string ResolveServer()
    {
        if (Server is not null)
        {
            return Server;
        }

        return Environment.GetEnvironmentVariable("CIRT_SERVER") is { Length: > 0 } fromEnv
            ? fromEnv
            : _saved.Value?.Server ?? DefaultServer;
    }

    public string? ResolveApiKey() =>
        ApiKey
        ?? (Environment.GetEnvironmentVariable("CIRT_API_KEY") is { Length: > 0 } fromEnv ? fromEnv : _saved.Value?.ApiKey);
}
