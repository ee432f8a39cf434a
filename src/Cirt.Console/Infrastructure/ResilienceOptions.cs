namespace Cirt.Console.Infrastructure;

/// <summary>
/// How patient the console is with the server: each unary call's deadline, and how often and how
/// soon a call that may be sent again is retried (exponential backoff with jitter from
/// <see cref="FirstDelay"/>, never more than <see cref="MaxDelay"/> apart).
/// </summary>
public sealed record ResilienceOptions(TimeSpan Timeout)
{
    /// <summary>Retries after the first attempt (one more per server address beyond the first).</summary>
    public int MaxRetries { get; init; } = 3;

    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);
}
