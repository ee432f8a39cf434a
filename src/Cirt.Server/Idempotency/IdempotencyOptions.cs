namespace Cirt.Server.Idempotency;

/// <summary>
/// How long the server remembers a request id and its answer (<c>Cirt:Idempotency</c>): a retry
/// with the same request_id within the window gets the first answer; after it, the id is forgotten
/// (and pruned) and the request counts as new.
/// </summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Cirt:Idempotency";

    /// <summary>The shortest window one may set: a client's retries with backoff take longer than seconds.</summary>
    public static readonly TimeSpan MinWindow = TimeSpan.FromMinutes(1);

    /// <summary>The longest window one may set: past it, the ledger only grows.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(30);

    /// <summary>How long a request id and its answer are kept: 24 hours unless set.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The shortest claim lifetime one may set: renewals a third of it apart must not crowd the database.</summary>
    public static readonly TimeSpan MinClaimLifetime = TimeSpan.FromSeconds(3);

    /// <summary>The longest claim lifetime one may set: a dead silo's claim blocks retries that long.</summary>
    public static readonly TimeSpan MaxClaimLifetime = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a call's claim on its request id lasts unless renewed (every third of it while the call
    /// runs): after a silo dies mid-call, a retry of that request runs again this long after the last
    /// renewal at most; a duplicate waits this long for the first call's answer before it is told
    /// ABORTED (retry with the same request_id). 10 seconds unless set: a retry after a silo died
    /// mid-call waits for its claim well within the console's 30-second deadline.
    /// </summary>
    public TimeSpan ClaimLifetime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often requests older than the window are pruned: a twenty-fourth of it, at most hourly.</summary>
    public TimeSpan PrunePeriod => Window / 24 < TimeSpan.FromHours(1) ? Window / 24 : TimeSpan.FromHours(1);

    /// <summary>What is wrong with these settings, one sentence each naming the setting; empty when nothing is.</summary>
    public IEnumerable<string> Problems()
    {
        if (Window < MinWindow || Window > MaxWindow)
        {
            yield return $"{Section}:{nameof(Window)} must be from {MinWindow:c} to {MaxWindow:c} (it is {Window:c}).";
        }

        if (ClaimLifetime < MinClaimLifetime || ClaimLifetime > MaxClaimLifetime)
        {
            yield return $"{Section}:{nameof(ClaimLifetime)} must be from {MinClaimLifetime:c} to {MaxClaimLifetime:c} (it is {ClaimLifetime:c}).";
        }
    }
}
