namespace Cirt.Server;

/// <summary>
/// How long a grain stays in memory once nobody calls it (<c>Cirt:Grains</c>): Orleans deactivates
/// an idle grain after its age, checking every <see cref="CollectionQuantum"/> (so an idle grain goes
/// within age + 30 s); its state stays stored, and the next call activates it again from storage.
/// Incident and event-aggregate grains have an age of their own: one aggregation pass activates one
/// of each per stakeholder, RSIT type and day it touches (tens of thousands after a large backlog),
/// and they are rarely called again soon, so they go sooner than the others.
/// </summary>
public sealed class GrainLifetimeOptions
{
    public const string Section = "Cirt:Grains";

    /// <summary>How often Orleans looks for idle grains; every age must be longer.</summary>
    public static readonly TimeSpan CollectionQuantum = TimeSpan.FromSeconds(30);

    /// <summary>The longest age one may set: beyond it, idle grains would hold memory for no reader.</summary>
    public static readonly TimeSpan MaxIdleAfter = TimeSpan.FromDays(1);

    /// <summary>Every grain but those below: deactivated after this long without a call (Orleans' own default, 15 minutes).</summary>
    public TimeSpan IdleAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Incident and event-aggregate grains: deactivated after this long without a call.</summary>
    public TimeSpan IncidentsIdleAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>What is wrong with these settings, one sentence each naming the setting; empty when nothing is.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (name, value) in new[] { (nameof(IdleAfter), IdleAfter), (nameof(IncidentsIdleAfter), IncidentsIdleAfter) })
        {
            if (value < TimeSpan.FromMinutes(1) || value > MaxIdleAfter)
            {
                yield return $"{Section}:{name} must be from 00:01:00 to {MaxIdleAfter:c} (it is {value:c}): Orleans looks for idle grains every {CollectionQuantum.TotalSeconds:0} s.";
            }
        }
    }
}
