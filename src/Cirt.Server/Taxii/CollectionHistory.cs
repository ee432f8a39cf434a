using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cirt.Server.Stix;

namespace Cirt.Server.Taxii;

/// <summary>
/// What a partner's collection holds, built from its sendable outbox messages in the order they
/// became sendable. Each message adds the versions of the STIX objects it carries (a version already
/// there is not added twice: the CIRT's identity and the TLP markings come with every item). An
/// object an item no longer carries, because the item was withdrawn or an update dropped it, gets a
/// new version with <c>revoked: true</c>, as STIX 2.1 says a producer recalls an object: tools that
/// pulled it before learn that it no longer holds, which leaving it out could not tell them. Objects
/// several items carry are revoked only once none does; the identities that created the others and
/// the marking definitions never are.
/// The history only grows: a message adds versions after those already there, so a client that has
/// read up to some point never misses what comes after it.
/// </summary>
public static class CollectionHistory
{
    private static readonly TimeSpan Millisecond = TimeSpan.FromMilliseconds(1);

    // As the STIX writer writes: quotes and angle brackets as they are.
    private static readonly JsonSerializerOptions Writing = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The collection's object versions in collection order (date added, id, version).</summary>
    public static IReadOnlyList<CollectionObject> Build(IEnumerable<CollectedMessage> messages)
    {
        var added = new List<CollectionObject>();
        var versions = new HashSet<(string Id, long Ticks)>();
        var latest = new Dictionary<string, StixObjectVersion>(StringComparer.Ordinal);
        var items = new Dictionary<string, (long Version, HashSet<string> Carried)>(StringComparer.Ordinal);
        var carriers = new Dictionary<string, int>(StringComparer.Ordinal);

        void Add(StixObjectVersion version, DateTimeOffset dateAdded, string messageId)
        {
            if (!versions.Add((version.Id, version.Version.UtcTicks)))
            {
                return;
            }

            added.Add(new CollectionObject(version, dateAdded, messageId));
            if (!latest.TryGetValue(version.Id, out var current) || version.Version > current.Version)
            {
                latest[version.Id] = version;
            }
        }

        foreach (var message in messages.OrderBy(m => m.SendableAt).ThenBy(m => m.MessageId, StringComparer.Ordinal))
        {
            var dateAdded = ToMicroseconds(message.SendableAt);
            foreach (var version in message.Objects)
            {
                Add(version, dateAdded, message.MessageId);
            }

            if (items.TryGetValue(message.Item, out var item) && message.ItemVersion <= item.Version)
            {
                // An older version of the item became sendable after a newer one: its objects are
                // older versions, and what the item carries now does not change.
                continue;
            }

            var carried = message.Withdraws ? new HashSet<string>(StringComparer.Ordinal) : OwnObjects(message.Objects);
            var before = item.Carried ?? [];
            foreach (var id in carried.Where(id => !before.Contains(id)))
            {
                carriers[id] = carriers.GetValueOrDefault(id) + 1;
            }

            foreach (var id in before.Where(id => !carried.Contains(id)).Order(StringComparer.Ordinal))
            {
                carriers[id]--;
                if (carriers[id] == 0 && Revoke(latest[id], dateAdded) is { } revoked)
                {
                    Add(revoked, dateAdded, message.MessageId);
                }
            }

            items[message.Item] = (message.ItemVersion, carried);
        }

        added.Sort((a, b) => a.Position.CompareTo(b.Position));
        return added;
    }

    /// <summary>Truncates to whole microseconds, the precision date_added is written with, so that a value read back compares equal.</summary>
    public static DateTimeOffset ToMicroseconds(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);

    /// <summary>The objects an item owns: all but the marking and extension definitions and the identities that created the others.</summary>
    private static HashSet<string> OwnObjects(IReadOnlyList<StixObjectVersion> objects)
    {
        var creators = objects.Select(o => o.CreatedByRef).Where(r => r.Length > 0).ToHashSet(StringComparer.Ordinal);
        return objects
            .Where(o => o.Type is not ("marking-definition" or "extension-definition") && !creators.Contains(o.Id))
            .Select(o => o.Id)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>A new version of <paramref name="last"/> with revoked true; null for an object that cannot change (no modified) or is revoked already.</summary>
    private static StixObjectVersion? Revoke(StixObjectVersion last, DateTimeOffset at)
    {
        if (last.Revoked || !last.Modifiable)
        {
            return null;
        }

        var modified = TruncateToMilliseconds(at);
        if (modified <= last.Version)
        {
            modified = TruncateToMilliseconds(last.Version) + Millisecond;
        }

        var modifiedText = StixTime.Format(modified);
        var json = JsonNode.Parse(last.Json)!.AsObject();
        json["modified"] = modifiedText;
        json["revoked"] = true;
        return last with { Version = modified, VersionText = modifiedText, Revoked = true, Json = json.ToJsonString(Writing) };
    }

    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
}
