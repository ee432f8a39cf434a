namespace Cirt.Grains.Incidents;

/// <summary>Whether a deadline has been met, as seen at a given moment.</summary>
public enum DeadlineStatus
{
    Pending = 1,
    Met = 2,
    MetLate = 3,
    Overdue = 4,
}
