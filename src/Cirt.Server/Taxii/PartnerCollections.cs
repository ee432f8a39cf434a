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
/// A payload's STIX form depends on nothing but the payload and its times, so it is written once and
/// kept (up to 64 MiB of objects, least used first out).
/// </summary>
public sealed class PartnerCollections(CollectionLedger ledger, ILogger<PartnerCollections> logger) : IDisposable
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));
    private static readonly TimeSpan Millisecond = TimeSpan.FromMilliseconds(1);

    private readonly MemoryCache _written = new(new MemoryCacheOptions { SizeLimit = 64L * 1024 * 1024 });

    /// <summary>Every object version in <paramref name="partnerId"/>'s collection, in collection order.</summary>
    public async Task<IReadOnlyList<CollectionObject>> ObjectsAsync(string partnerId, CancellationToken cancellationToken)
    {
        var entries = await ledger.ReadAsync(partnerId, cancellationToken);
        return CollectionHistory.Build(Messages(entries));
    }

    public void Dispose() => _written.Dispose();

    private IEnumerable<CollectedMessage> Messages(IReadOnlyList<LedgerEntry> entries)
    {
        var times = VersionTimes(entries);
        foreach (var entry in entries)
        {
            var item = $"{entry.Kind}:{entry.ItemId}";
            if (entry.Action == ShareAction.Withdraw)
            {
                yield return new CollectedMessage(entry.MessageId, entry.DateAdded, item, entry.ItemVersion, Withdraws: true, []);
            }
            else if (entry.Action == ShareAction.Publish && ObjectsOf(entry, times[entry.MessageId]) is { } objects)
            {
                yield return new CollectedMessage(entry.MessageId, entry.DateAdded, item, entry.ItemVersion, Withdraws: false, objects);
            }
        }
    }

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

    /// <summary>The STIX objects of one published version, each serialised; null (and an error logged) when it cannot be written.</summary>
    private IReadOnlyList<string>? ObjectsOf(LedgerEntry entry, (DateTimeOffset Created, DateTimeOffset Modified) times)
    {
        var key = (entry.MessageId, times.Created.UtcTicks, times.Modified.UtcTicks);
        if (_written.TryGetValue(key, out IReadOnlyList<string>? cached))
        {
            return cached;
        }

        string bundle;
        try
        {
            var payload = Parser.Parse<Proto.FederatedPayload>(entry.Payload);
            bundle = StixWriter.Write(payload, CreatedOf(payload, times.Created), times.Modified);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException or ArgumentException or InvalidOperationException)
        {
            logger.LogError(ex, "Outbox message {MessageId} ({Kind} {ItemId} v{Version}) has no STIX form and is left out of the TAXII collection",
                entry.MessageId, entry.Kind, entry.ItemId, entry.ItemVersion);
            return null;
        }

        using var document = JsonDocument.Parse(bundle);
        var objects = document.RootElement.GetProperty("objects").EnumerateArray().Select(o => o.GetRawText()).ToArray();
        _written.Set(key, (IReadOnlyList<string>)objects, new MemoryCacheEntryOptions { Size = objects.Sum(o => (long)o.Length) + 64 });
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
}
