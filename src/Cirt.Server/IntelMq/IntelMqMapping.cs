using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cirt.Grains.Taxonomy;
using Cirt.Server.Ingest;
using Google.Protobuf.WellKnownTypes;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.IntelMq;

/// <summary>
/// An IntelMQ event (its harmonization's dotted keys) onto Cirt's <see cref="Proto.Event"/>: the keys
/// Cirt has a field for fill it (<see cref="FieldOfKey"/>); IntelMQ's classification becomes RSIT's
/// (<see cref="IntelMqTaxonomy"/>); every other key is kept in the event's extra under its own
/// IntelMQ name, but "raw" (the feed's original data, base64), which is left out as IntelMQ's own
/// outputs leave it out by default. The resend id is the event's extra.cirt_event_id, else the
/// request's Idempotency-Key header and the event's index ("key#index"), else the digest of the
/// event (<see cref="IntelMqDigest"/>). Only the shape is checked here (types, numbers, times, what
/// extra can hold); the rules of every event are the ingest path's (<see cref="EventRules"/>).
/// </summary>
public static partial class IntelMqMapping
{
    /// <summary>The key by which a producer names an event's resend id itself.</summary>
    public const string EventIdKey = "extra.cirt_event_id";

    /// <summary>The request header that names the resend ids of a request's events (with each one's index).</summary>
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>Set by IntelMQ's exports with with_type: "Event" (a "Report" is not an event).</summary>
    public const string TypeFlag = "__type";

    /// <summary>The feed's original data (base64): not kept.</summary>
    public const string RawKey = "raw";

    public const string ObservationKey = "time.observation";

    /// <summary>The IntelMQ keys Cirt has a field for, and the field (as the ingest rules name it).</summary>
    public static readonly IReadOnlyDictionary<string, string> FieldOfKey = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["feed.name"] = "feed",
        ["classification.taxonomy"] = "rsit_class",
        ["classification.type"] = "rsit_type",
        ["classification.identifier"] = "identifier",
        ["time.source"] = "observed_at",
        ["source.ip"] = "source_ip",
        ["source.port"] = "source_port",
        ["source.asn"] = "source_asn",
        ["source.fqdn"] = "fqdn",
        ["source.url"] = "url",
        ["destination.ip"] = "destination_ip",
        ["destination.port"] = "destination_port",
        ["malware.name"] = "malware_family",
        ["tlp"] = "tlp",
        [EventIdKey] = "producer_event_id",
    };

    /// <summary>The other way round: the IntelMQ key of each field.</summary>
    public static readonly IReadOnlyDictionary<string, string> KeyOfField = FieldOfKey.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    private const string IdempotencyIdSource = "header " + IdempotencyHeader;

    /// <summary>Maps <paramref name="e"/>, or says what is wrong with its shape.</summary>
    /// <param name="e">The event as received.</param>
    /// <param name="idempotencyKey">The request's Idempotency-Key header, if it has one (checked by the caller).</param>
    /// <param name="rsit">The RSIT taxonomy the server knows.</param>
    public static (IntelMqMapped? Mapped, IntelMqViolation? Problem) Map(IntelMqEvent e, string? idempotencyKey, RsitTaxonomy rsit)
    {
        var i = e.Index;
        if (e.Fields.TryGetValue(TypeFlag, out var flag) && !(flag.IsString && flag.Text == "Event"))
        {
            return Refuse(i, TypeFlag, $"is '{flag.Text}': only IntelMQ events (\"Event\") are accepted");
        }

        foreach (var key in FieldOfKey.Keys)
        {
            if (e.Fields.TryGetValue(key, out var value) && !value.IsString && key is not ("source.port" or "destination.port" or "source.asn"))
            {
                return Refuse(i, key, "must be a string");
            }
        }

        var result = new Proto.Event
        {
            Feed = e.Text("feed.name") ?? "",
            Identifier = e.Text("classification.identifier") ?? "",
            SourceIp = e.Text("source.ip") ?? "",
            Fqdn = e.Text("source.fqdn") ?? "",
            Url = e.Text("source.url") ?? "",
            DestinationIp = e.Text("destination.ip") ?? "",
            MalwareFamily = e.Text("malware.name") ?? "",
        };

        var classification = IntelMqTaxonomy.Classify(e.Text("classification.taxonomy"), e.Text("classification.type"), rsit);
        result.RsitClass = classification.RsitClass;
        result.RsitType = classification.RsitType;

        foreach (var (key, max, set) in new (string, long, Action<long>)[]
                 {
                     ("source.port", 65535, n => result.SourcePort = (uint)n),
                     ("destination.port", 65535, n => result.DestinationPort = (uint)n),
                     ("source.asn", uint.MaxValue, n => result.SourceAsn = (uint)n),
                 })
        {
            if (e.Fields.TryGetValue(key, out var value))
            {
                if (!TryInteger(value, out var number) || number < 0 || number > max)
                {
                    return Refuse(i, key, $"'{Echo(value.Text)}' is not a whole number from 0 to {max}");
                }

                set(number);
            }
        }

        var observedKey = e.Fields.ContainsKey("time.source") || !e.Fields.ContainsKey(ObservationKey) ? "time.source" : ObservationKey;
        if (e.Fields.TryGetValue(observedKey, out var time))
        {
            if (!time.IsString || !TryTime(time.Text, out var observed))
            {
                return Refuse(i, observedKey, $"'{Echo(time.Text)}' is not an ISO 8601 time (IntelMQ writes 2023-02-15T14:19:09+00:00)");
            }

            result.ObservedAt = Timestamp.FromDateTimeOffset(observed);
        }

        if (e.Text("tlp") is { } tlp)
        {
            if (TlpOf(tlp) is not { } label)
            {
                return Refuse(i, "tlp", $"'{Echo(tlp)}' is not a TLP label (WHITE, CLEAR, GREEN, AMBER, AMBER+STRICT, RED)");
            }

            result.Tlp = label;
        }

        var extraKeys = e.Fields.Keys.Where(k => !FieldOfKey.ContainsKey(k) && k is not (TypeFlag or RawKey))
            .Concat(classification.KeepType && e.Fields.ContainsKey("classification.type") ? ["classification.type"] : [])
            .ToList();
        if (extraKeys.Count > EventRules.MaxExtraEntries)
        {
            const int Listed = 30;
            var listed = string.Join(", ", extraKeys.Take(Listed).Select(Echo)) + (extraKeys.Count > Listed ? ", …" : "");
            return Refuse(i, "extra",
                $"{extraKeys.Count} keys have no field in Cirt and would be kept in extra ({listed}); at most {EventRules.MaxExtraEntries} are kept: "
                + "leave some out before the output (IntelMQ's field reducer expert)");
        }

        foreach (var key in extraKeys)
        {
            var value = e.Fields[key].Text;
            if (key.Length > EventRules.MaxExtraKey)
            {
                return Refuse(i, Echo(key), $"is longer than the {EventRules.MaxExtraKey} characters a key kept in extra may have");
            }

            if (value.Length > EventRules.MaxExtraValue)
            {
                return Refuse(i, key, $"has a value of {value.Length} characters; a value kept in extra may have at most {EventRules.MaxExtraValue}");
            }

            result.Extra[key] = value;
        }

        string idSource;
        if (e.Fields.ContainsKey(EventIdKey))
        {
            (result.ProducerEventId, idSource) = (e.Text(EventIdKey)!, EventIdKey);
        }
        else if (idempotencyKey is not null)
        {
            (result.ProducerEventId, idSource) = (idempotencyKey + "#" + i.ToString(CultureInfo.InvariantCulture), IdempotencyIdSource);
        }
        else
        {
            (result.ProducerEventId, idSource) = (IntelMqDigest.Of(e), "digest");
        }

        return (new IntelMqMapped(result, observedKey, idSource), null);
    }

    private static (IntelMqMapped?, IntelMqViolation?) Refuse(int index, string key, string reason) => (null, new IntelMqViolation(index, key, reason));

    private static bool TryInteger(IntelMqValue value, out long number)
    {
        number = 0;
        return value.Kind is JsonValueKind.Number or JsonValueKind.String
               && value.Text.Length is > 0 and <= 12
               && value.Text.All(char.IsAsciiDigit)
               && long.TryParse(value.Text, NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }

    private static bool TryTime(string text, out DateTimeOffset time)
    {
        time = default;
        return IsoTime().IsMatch(text)
               && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }

    private static Proto.Tlp? TlpOf(string text)
    {
        var label = text.Trim().ToUpperInvariant();
        label = label.StartsWith("TLP:", StringComparison.Ordinal) ? label[4..].Trim() : label;
        return label switch
        {
            "WHITE" or "CLEAR" => Proto.Tlp.Clear,
            "GREEN" => Proto.Tlp.Green,
            "AMBER" => Proto.Tlp.Amber,
            "AMBER+STRICT" => Proto.Tlp.AmberStrict,
            "RED" => Proto.Tlp.Red,
            _ => null,
        };
    }

    private static string Echo(string text) => Cirt.Grains.Common.Echo.Of(text);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")]
    private static partial Regex IsoTime();
}
