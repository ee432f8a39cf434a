namespace Cirt.Grains.Ingest.Feeds;

/// <summary>How far a feed's word goes.</summary>
public enum FeedTrust
{
    Unspecified = 0,

    /// <summary>A national feed: its events may be about any organisation of the constituency.</summary>
    National = 1,

    /// <summary>An organisation's own sensor: its events may be about its owner and the stakeholders a coordinator widened it to.</summary>
    Organisation = 2,
}
