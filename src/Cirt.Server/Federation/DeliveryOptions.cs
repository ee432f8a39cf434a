namespace Cirt.Server.Federation;

/// <summary>
/// The configuration section "Cirt:Federation:Delivery": how the outbox delivers to partners. Each
/// delivery runs through a Polly pipeline per partner (a timeout per attempt, retries with
/// exponential backoff and jitter, a circuit breaker); when the pipeline gives up, the message stays
/// queued and is tried again after a backoff that doubles up to <see cref="MaxRequeueDelay"/>.
/// </summary>
public sealed class DeliveryOptions
{
    public const string Section = "Cirt:Federation:Delivery";

    /// <summary>How long one call to a partner may take.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries within one delivery, for statuses that may pass (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL, UNKNOWN) and timeouts.</summary>
    public int Retries { get; set; } = 3;

    /// <summary>The first retry's delay; each next one doubles, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The share of failed calls, over <see cref="CircuitSamplingDuration"/>, that opens the circuit.</summary>
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>Calls within <see cref="CircuitSamplingDuration"/> before the circuit may open.</summary>
    public int CircuitMinimumThroughput { get; set; } = 4;

    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit stays open before one trial call (half-open).</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>After a delivery gave up: the wait before the message is tried again, doubling with each failure.</summary>
    public TimeSpan RequeueDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between deliveries to a failing partner.</summary>
    public TimeSpan MaxRequeueDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the outbox is looked at for partners with messages waiting, besides the wake-up each new message gives.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a dispatcher's claim on a partner's outbox lasts unless renewed (it is renewed every
    /// third of it while delivering, and given up when nothing is due). Only one dispatcher at a time
    /// delivers a partner's outbox; when a silo dies, another takes its partners over once their
    /// claims lapse, so this is how long deliveries to them can pause after a silo dies.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(20);

    public IEnumerable<string> Problems()
    {
        if (AttemptTimeout < TimeSpan.FromMilliseconds(100) || AttemptTimeout > TimeSpan.FromMinutes(10))
        {
            yield return $"{Section}:{nameof(AttemptTimeout)} must be between 100 ms and 10 minutes.";
        }

        if (Retries is < 0 or > 20)
        {
            yield return $"{Section}:{nameof(Retries)} must be between 0 and 20.";
        }

        if (RetryDelay < TimeSpan.FromMilliseconds(1) || RetryDelay > TimeSpan.FromMinutes(1))
        {
            yield return $"{Section}:{nameof(RetryDelay)} must be between 1 ms and 1 minute.";
        }

        if (CircuitFailureRatio is <= 0 or > 1)
        {
            yield return $"{Section}:{nameof(CircuitFailureRatio)} must be above 0 and at most 1.";
        }

        if (CircuitMinimumThroughput < 2)
        {
            yield return $"{Section}:{nameof(CircuitMinimumThroughput)} must be at least 2.";
        }

        if (CircuitSamplingDuration < TimeSpan.FromMilliseconds(500) || CircuitSamplingDuration > TimeSpan.FromDays(1))
        {
            yield return $"{Section}:{nameof(CircuitSamplingDuration)} must be between 500 ms and 1 day.";
        }

        if (CircuitBreakDuration < TimeSpan.FromMilliseconds(500) || CircuitBreakDuration > TimeSpan.FromDays(1))
        {
            yield return $"{Section}:{nameof(CircuitBreakDuration)} must be between 500 ms and 1 day.";
        }

        if (RequeueDelay < TimeSpan.FromMilliseconds(10) || MaxRequeueDelay < RequeueDelay || MaxRequeueDelay > TimeSpan.FromHours(1))
        {
            yield return $"{Section}: {nameof(RequeueDelay)} must be at least 10 ms, and {nameof(MaxRequeueDelay)} between it and 1 hour.";
        }

        if (SweepInterval < TimeSpan.FromMilliseconds(100) || SweepInterval > TimeSpan.FromHours(1))
        {
            yield return $"{Section}:{nameof(SweepInterval)} must be between 100 ms and 1 hour.";
        }

        if (ClaimLease < TimeSpan.FromMilliseconds(300) || ClaimLease > TimeSpan.FromHours(1))
        {
            yield return $"{Section}:{nameof(ClaimLease)} must be between 300 ms and 1 hour.";
        }
    }
}
