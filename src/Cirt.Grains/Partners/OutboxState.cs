namespace Cirt.Grains.Partners;

/// <summary>Where a message to a partner stands.</summary>
public enum OutboxState
{
    /// <summary>Personal data was found: waits for a coordinator to approve a redacted version or discard it.</summary>
    Held = 1,
    Queued = 2,
    Delivered = 3,

    /// <summary>The partner refused it for good.</summary>
    Failed = 4,
    Discarded = 5,
}
