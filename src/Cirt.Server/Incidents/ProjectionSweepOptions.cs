namespace Cirt.Server.Incidents;

/// <summary>How the cluster profile sweeps pending-projection marks (section Cirt:ProjectionSweep): see <see cref="ProjectionSweeper"/>.</summary>
public sealed class ProjectionSweepOptions
{
    public const string Section = "Cirt:ProjectionSweep";

    /// <summary>How often the marks are read (and once at start).</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How old a mark must be to be swept: a write and its publication normally take milliseconds.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many incidents one sweep wakes at most (the next sweep takes the rest).</summary>
    public int Limit { get; set; } = 1_000;

    /// <summary>What is wrong with these settings, one sentence each naming the setting; empty when nothing is.</summary>
    public IEnumerable<string> Problems()
    {
        if (Period < TimeSpan.FromMilliseconds(100) || Period > TimeSpan.FromHours(1))
        {
            yield return $"{Section}:{nameof(Period)} must be from 00:00:00.1 to 01:00:00 (it is {Period}).";
        }

        if (Grace < TimeSpan.Zero || Grace > TimeSpan.FromHours(1))
        {
            yield return $"{Section}:{nameof(Grace)} must be from 00:00:00 to 01:00:00 (it is {Grace}).";
        }

        if (Limit < 1)
        {
            yield return $"{Section}:{nameof(Limit)} must be at least 1 (it is {Limit}).";
        }
    }
}
