namespace Cirt.Grains.Common;

/// <summary>
/// The clock business time runs on: reports, timelines, deadlines and their escalation. It is the
/// system clock in service; tests put a clock they move themselves behind it to check 24 h, 72 h and
/// one-month deadlines deterministically. Kept apart from the TimeProvider Orleans itself uses, so
/// moving business time never disturbs the runtime's own timers.
/// </summary>
public sealed class CirtClock(TimeProvider time) : TimeProvider
{
    public static CirtClock SystemClock { get; } = new(TimeProvider.System);

    public override DateTimeOffset GetUtcNow() => time.GetUtcNow();
}
