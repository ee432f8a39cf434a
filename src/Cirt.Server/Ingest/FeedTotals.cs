namespace Cirt.Server.Ingest;

/// <summary>What a feed's events came to: in one pass, or in total (the stats RPC).</summary>
public sealed class FeedTotals
{
    /// <summary>Events stored (new: not resent), duplicates and unmatched ones included.</summary>
    public long Stored { get; set; }

    /// <summary>Stored events repeating the feed, type and target of one seen within the duplicate window.</summary>
    public long Duplicates { get; set; }

    /// <summary>Stored events no stakeholder's constituency holds.</summary>
    public long Unmatched { get; set; }

    /// <summary>Events recognised as resent (same producer and producer_event_id as one stored before): stored nothing.</summary>
    public long Resent { get; set; }

    /// <summary>Events refused by validation.</summary>
    public long Rejected { get; set; }

    /// <summary>The latest observation time of a stored event, Unix milliseconds; 0 when none.</summary>
    public long LastEventAt { get; set; }
}
