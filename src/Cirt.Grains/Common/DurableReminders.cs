namespace Cirt.Grains.Common;

/// <summary>Grains that keep a durable Orleans reminder only while they have something to watch.</summary>
public static class DurableReminders
{
    /// <summary>Registers reminder <paramref name="name"/> (ticking every <paramref name="period"/>) while <paramref name="needed"/>, and drops it otherwise.</summary>
    public static async Task KeepWhileAsync(this Grain grain, string name, bool needed, TimeSpan period)
    {
        var reminder = await grain.GetReminder(name);
        if (needed && reminder is null)
        {
            await grain.RegisterOrUpdateReminder(name, period, period);
        }
        else if (!needed && reminder is not null)
        {
            await grain.UnregisterReminder(reminder);
        }
    }
}
