namespace Cirt.Grains.Advisories;

/// <summary>How advisories are chased (configuration section Cirt:Advisories).</summary>
public sealed class AdvisoryOptions
{
    public const string Section = "Cirt:Advisories";

    /// <summary>An unacknowledged advisory is re-notified, and shown overdue, this long after delivery (and again after each reminder).</summary>
    public TimeSpan ChaseAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>What is wrong with these settings, one sentence each naming the setting; empty when nothing is.</summary>
    public IEnumerable<string> Problems()
    {
        if (ChaseAfter <= TimeSpan.Zero)
        {
            yield return $"{Section}:{nameof(ChaseAfter)} must be longer than zero (it is {ChaseAfter}).";
        }
    }
}
