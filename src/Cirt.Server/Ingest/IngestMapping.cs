using Cirt.Server.Api;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Ingest;

/// <summary>What the ingest state store reads, in its wire form.</summary>
public static class IngestMapping
{
    public static Proto.UnmatchedEvent ToProto(UnmatchedEvent e) => new()
    {
        ReceivedAt = CommonMapping.ToProto(DateTimeOffset.FromUnixTimeMilliseconds(e.ReceivedAt)),
        Producer = e.Producer,
        Event = Proto.Event.Parser.ParseFrom(e.Event),
    };

    public static Proto.FeedStats ToProto(string feed, FeedTotals totals) => new()
    {
        Feed = feed,
        Stored = totals.Stored,
        Duplicates = totals.Duplicates,
        Unmatched = totals.Unmatched,
        Resent = totals.Resent,
        Rejected = totals.Rejected,
        LastEventAt = totals.LastEventAt > 0 ? CommonMapping.ToProto(DateTimeOffset.FromUnixTimeMilliseconds(totals.LastEventAt)) : null,
    };
}
