namespace Cirt.Server.Incidents;

/// <summary>What a change to an incident means to one watcher of the queue.</summary>
public enum WatchChange
{
    /// <summary>A newly reported incident that matches the watcher's filter.</summary>
    Created = 1,

    /// <summary>An incident the watcher did not hold that now matches.</summary>
    Entered = 2,

    /// <summary>An incident the watcher holds changed and still matches.</summary>
    Changed = 3,

    /// <summary>An incident the watcher holds no longer matches (or may no longer be seen).</summary>
    Left = 4,
}
