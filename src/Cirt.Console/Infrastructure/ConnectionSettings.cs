using System.ComponentModel;
using Spectre.Console.Cli;

namespace Cirt.Console.Infrastructure;

/// <summary>Options every command takes: where the server is and who is calling.</summary>
public class ConnectionSettings : CommandSettings
{
    public const string DefaultServer = "http://127.0.0.1:5080";

    [CommandOption("--server <URL>")]
    [Description("Cirt server address (default: $CIRT_SERVER or " + DefaultServer + ")")]
    public string? Server { get; init; }

    [CommandOption("--user <NAME>")]
    [Description("Your user name, recorded in timelines (default: $CIRT_USER or the login name)")]
    public string? User { get; init; }

    public string ResolveServer() =>
        Server ?? (Environment.GetEnvironmentVariable("CIRT_SERVER") is { Length: > 0 } fromEnv ? fromEnv : DefaultServer);

    public string ResolveUser() =>
        User ?? (Environment.GetEnvironmentVariable("CIRT_USER") is { Length: > 0 } fromEnv ? fromEnv : Environment.UserName);
}
