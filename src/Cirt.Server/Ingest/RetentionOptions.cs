namespace Cirt.Server.Ingest;

/// <summary>
/// The configuration section "Cirt:Retention": how long the ingest files keep what they hold, and
/// how often the pruner (<see cref="IngestPruner"/>) deletes what is older. Ages count from when the
/// server received a batch (the business clock).
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Cirt:Retention";

    /// <summary>
    /// Acknowledged batches in the ingest log (ingest.db, table ingest_batch): whole events, addresses
    /// included. A batch the aggregator has not applied yet is kept whatever its age.
    /// </summary>
    public TimeSpan IngestLog { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Events no constituency held (ingest-state.db, table ingest_unmatched): addresses of people
    /// and organisations outside the constituency, kept only for an analyst to see which prefixes are
    /// missing; shorter than the log by default.
    /// </summary>
    public TimeSpan Unmatched { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The keys of stored events on disk (ingest-state.db, table ingest_key_run), by which a resend is
    /// recognised: an event resent within this time (and within Cirt:Ingest:ResendWindowEvents) stores
    /// nothing; resent later, it may be stored again, as a new event.
    /// </summary>
    public TimeSpan ResendKeys { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the pruner runs (real time).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Rows deleted at most in one transaction: the longest the pruner holds a file's one writer.</summary>
    public int BatchRows { get; set; } = 200;

    /// <summary>What is wrong with these settings, one sentence each naming the setting; empty when nothing is.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (name, value) in new[]
                 {
                     (nameof(IngestLog), IngestLog), (nameof(Unmatched), Unmatched), (nameof(ResendKeys), ResendKeys), (nameof(Interval), Interval),
                 })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return $"{Section}:{name} must be longer than zero (it is {value}).";
            }
        }

        if (BatchRows < 1)
        {
            yield return $"{Section}:{nameof(BatchRows)} must be at least 1 (it is {BatchRows}).";
        }
    }
}
