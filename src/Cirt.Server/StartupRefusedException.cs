namespace Cirt.Server;

/// <summary>
/// The server will not start as configured: each of <see cref="Problems"/> is one sentence naming
/// the setting and the rule. Program prints them one a line and exits with code 2, no stack trace.
/// </summary>
public sealed class StartupRefusedException(IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    /// <summary>Exit code of a server that refused to start.</summary>
    public const int ExitCode = 2;

    public IReadOnlyList<string> Problems { get; } = problems;
}
