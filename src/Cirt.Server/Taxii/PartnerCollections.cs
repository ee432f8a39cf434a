using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cirt.Grains.Partners;
using Cirt.Server.Stix;
using Google.Protobuf;
using Microsoft.Extensions.Caching.Memory;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Taxii;

/// <summary>
/// A partner's collection as STIX 2.1: the payloads its <see cref="CollectionLedger"/> holds (what the
/// sharing policy let leave for this partner, byte for byte), each published advisory or incident
/// written by <see cref="StixWriter"/>, withdrawals revoking, in a <see cref="CollectionHistory"/>.
/// Notes and status changes of shared incidents travel to Cirt partners only: STIX has no place for
/// them here (an incident's status is in each of its published versions).
/// A payload's STIX form depends on nothing but the payload and its times, and a collection on
/// nothing but its messages, so both are kept once built (128 MiB of objects at most, least used
/// out first): paging through a collection reads the ledger, not every payload, for each page.
/// </summary>
public sealed class PartnerCollections(CollectionLedger ledger, ILogger<PartnerCollections> logger) : IDisposable
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));
    private static readonly TimeSpan Millisecond = TimeSpan.FromMilliseconds(1);

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 128L * 1024 * 1024 });

    /// <summary>Every object version in <paramref name="partnerId"/>'s collection, in collection order.</summary>
    public async Task<IReadOnlyList<CollectionObject>> ObjectsAsync(string partnerId, CancellationToken cancellationToken)
    {
        var entries = await ledger.ReadAsync(partnerId, cancellationToken);
        var times = VersionTimes(entries);
        var fingerprint = Fingerprint(entries);
        if (_cache.TryGetValue(("collection", partnerId), out BuiltCollection? built) && built!.Fingerprint == fingerprint)
        {
            return built.Objects;
        }

        var unwritten = entries.Where(e => e.Action == ShareAction.Publish && !_cache.TryGetValue(WrittenKey(e, times), out _)).Select(e => e.MessageId).ToList();
        var payloads = await ledger.PayloadsAsync(unwritten, cancellationToken);
        var messages = new List<CollectedMessage>(entries.Count);
        foreach (var entry in entries)
        {
            var item = $"{entry.Kind}:{entry.ItemId}";
            if (entry.Action == ShareAction.Withdraw)
            {
                messages.Add(new CollectedMessage(entry.MessageId, entry.DateAdded, item, entry.ItemVersion, Withdraws: true, []));
            }
            else if (entry.Action == ShareAction.Publish && await ObjectsOfAsync(entry, times[entry.MessageId], payloads, cancellationToken) is { } objects)
            {
                messages.Add(new CollectedMessage(entry.MessageId, entry.DateAdded, item, entry.ItemVersion, Withdraws: false, objects));
            }
        }

        var collection = CollectionHistory.Build(messages);
        _cache.Set(("collection", partnerId), new BuiltCollection(fingerprint, collection),
            new MemoryCacheEntryOptions { Size = collection.Sum(o => (long)o.Json.Length) + 64 });
        return collection;
    }

    /// <summary>
    /// Records, before they leave, that <paramref name="keyId"/> of <paramref name="partnerId"/> reads
    /// <paramref name="served"/>: the messages whose objects leave through TAXII for the first time
    /// are recorded with the time and the key (taxii_served), and logged.
    /// </summary>
    public async Task RecordReadAsync(string partnerId, string keyId, IReadOnlyList<CollectionObject> served, CancellationToken cancellationToken)
    {
        var first = await ledger.RecordServedAsync(partnerId, keyId, served.Select(o => o.MessageId).Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
        if (first.Count > 0)
        {
            logger.LogInformation("TAXII: partner {PartnerId} read {Count} outbox messages for the first time with key {KeyId}: {MessageIds}",
                partnerId, first.Count, keyId, string.Join(", ", first));
        }
    }

    public void Dispose() => _cache.Dispose();

    /// <summary>
    /// The created and modified times each published version is written with: created when the item
    /// was first put in the outbox for this partner, modified when this version was, and always after
    /// the version before it (two versions queued in one millisecond still differ).
    /// </summary>
    private static Dictionary<string, (DateTimeOffset Created, DateTimeOffset Modified)> VersionTimes(IReadOnlyList<LedgerEntry> entries)
    {
        var times = new Dictionary<string, (DateTimeOffset, DateTimeOffset)>(StringComparer.Ordinal);
        foreach (var versions in entries.Where(e => e.Action == ShareAction.Publish).GroupBy(e => (e.Kind, e.ItemId)))
        {
            var ordered = versions.OrderBy(e => e.ItemVersion).ToList();
            var created = ordered.Min(e => e.QueuedAt);
            var previous = DateTimeOffset.MinValue;
            foreach (var version in ordered)
            {
                var modified = new DateTimeOffset(version.QueuedAt.UtcTicks - (version.QueuedAt.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
                if (modified <= previous)
                {
                    modified = previous + Millisecond;
                }

                times[version.MessageId] = (created, modified);
                previous = modified;
            }
        }

        return times;
    }

    /// <summary>What a built collection depends on: its messages, when each was added and queued, and what each does.</summary>
    private static string Fingerprint(IReadOnlyList<LedgerEntry> entries)
    {
        var text = new StringBuilder();
        foreach (var entry in entries)
        {
            text.Append(entry.MessageId).Append(' ').Append(entry.DateAdded.UtcTicks).Append(' ').Append(entry.QueuedAt.UtcTicks)
                .Append(' ').Append((int)entry.Action).Append(' ').Append(entry.ItemVersion).Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static (string MessageId, long Created, long Modified) WrittenKey(LedgerEntry entry, Dictionary<string, (DateTimeOffset Created, DateTimeOffset Modified)> times) =>
        (entry.MessageId, times[entry.MessageId].Created.UtcTicks, times[entry.MessageId].Modified.UtcTicks);

    /// <summary>The STIX objects of one published version; null (and an error logged) when it cannot be written.</summary>
    private async Task<IReadOnlyList<StixObjectVersion>?> ObjectsOfAsync(
        LedgerEntry entry, (DateTimeOffset Created, DateTimeOffset Modified) times, IReadOnlyDictionary<string, string> payloads, CancellationToken cancellationToken)
    {
        var key = (entry.MessageId, times.Created.UtcTicks, times.Modified.UtcTicks);
        if (_cache.TryGetValue(key, out IReadOnlyList<StixObjectVersion>? written))
        {
            return written;
        }

        if (!payloads.TryGetValue(entry.MessageId, out var json))
        {
            // Written before, and let go from the cache since.
            (await ledger.PayloadsAsync([entry.MessageId], cancellationToken)).TryGetValue(entry.MessageId, out json);
        }

        StixObjectVersion[] objects;
        try
        {
            var payload = Parser.Parse<Proto.FederatedPayload>(json ?? throw new InvalidOperationException("The message has left the outbox."));
            using var bundle = JsonDocument.Parse(StixWriter.Write(payload, CreatedOf(payload, times.Created), times.Modified));
            objects = bundle.RootElement.GetProperty("objects").EnumerateArray().Select(StixObjectVersion.Read).ToArray();
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            logger.LogError(ex, "Outbox message {MessageId} ({Kind} {ItemId} v{Version}) has no STIX form and is left out of the TAXII collection",
                entry.MessageId, entry.Kind, entry.ItemId, entry.ItemVersion);
            return null;
        }

        _cache.Set(key, (IReadOnlyList<StixObjectVersion>)objects, new MemoryCacheEntryOptions { Size = objects.Sum(o => (long)o.Json.Length) + 64 });
        return objects;
    }

    /// <summary>When the item was first written: the advisory's publication or the incident's report, else its first time in the outbox.</summary>
    private static DateTimeOffset CreatedOf(Proto.FederatedPayload payload, DateTimeOffset firstQueued)
    {
        var at = payload.ItemCase switch
        {
            Proto.FederatedPayload.ItemOneofCase.Advisory => payload.Advisory.PublishedAt,
            Proto.FederatedPayload.ItemOneofCase.Incident => payload.Incident.ReportedAt,
            _ => null,
        };
        return at is null || at.Seconds == 0 ? firstQueued : at.ToDateTimeOffset();
    }

    /// <summary>A collection as built from the messages <paramref name="Fingerprint"/> stands for.</summary>
    private sealed record BuiltCollection(string Fingerprint, IReadOnlyList<CollectionObject> Objects);
}
