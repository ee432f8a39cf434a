using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using System.Net;
using Cirt.Grains.Ingest;
using Cirt.Grains.Ingest.Feeds;
using Cirt.Grains.Taxonomy;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Ingest;

/// <summary>What makes an automated event acceptable, and its canonical form.</summary>
public static class EventRules
{
    public const int MaxProducerEventId = 128;
    public const int MaxFeed = 100;
    public const int MaxShortText = 200;
    public const int MaxExtraEntries = 20;
    public const int MaxExtraKey = 64;
    public const int MaxExtraValue = 512;

    /// <summary>The first problem with an event (field and reason), or null when it is acceptable.</summary>
    public static (string Field, string Reason)? Refuse(Proto.Event e, RsitTaxonomy taxonomy, DateTimeOffset now)
    {
        if (e.ProducerEventId.Length is 0 or > MaxProducerEventId)
        {
            return ("producer_event_id", $"is required, at most {MaxProducerEventId} characters");
        }

        if (e.Feed.Length is 0 or > MaxFeed)
        {
            return ("feed", $"is required, at most {MaxFeed} characters");
        }

        if (taxonomy.Refuse(e.RsitClass, e.RsitType) is { } bad)
        {
            return (bad.Field, bad.Message);
        }

        if (e.ObservedAt is null)
        {
            return ("observed_at", "is required");
        }

        DateTimeOffset observed;
        try
        {
            observed = e.ObservedAt.ToDateTimeOffset();
        }
        catch (InvalidOperationException)
        {
            return ("observed_at", "is not a valid timestamp");
        }

        if (observed > now + FieldRules.ClockSkew)
        {
            return ("observed_at", "must not be in the future");
        }

        foreach (var (field, value) in new[] { ("source_ip", e.SourceIp), ("destination_ip", e.DestinationIp) })
        {
            if (value.Length > 0 && !ObservableRules.TryParseAddress(value, out _))
            {
                return (field, $"'{Echo.Of(value)}' is not an IPv4 or IPv6 address");
            }
        }

        if (e.SourcePort > 65535)
        {
            return ("source_port", "must be at most 65535");
        }

        if (e.DestinationPort > 65535)
        {
            return ("destination_port", "must be at most 65535");
        }

        if (e.Fqdn.Length > 0 && !ObservableRules.IsDomain(e.Fqdn.TrimEnd('.')))
        {
            return ("fqdn", $"'{Echo.Of(e.Fqdn)}' is not a domain name");
        }

        if (e.Url.Length > 0 && (e.Url.Length > Limits.ObservableValueLength || ObservableRules.Normalise(ObservableType.Url, e.Url).Error is not null))
        {
            return ("url", $"'{Echo.Of(e.Url)}' is not an absolute http, https or ftp URL of at most {Limits.ObservableValueLength} characters");
        }

        if (e.MalwareFamily.Length > MaxShortText)
        {
            return ("malware_family", $"is {e.MalwareFamily.Length} characters long; the limit is {MaxShortText}");
        }

        if (e.Identifier.Length > MaxShortText)
        {
            return ("identifier", $"is {e.Identifier.Length} characters long; the limit is {MaxShortText}");
        }

        if (e.Extra.Count > MaxExtraEntries)
        {
            return ("extra", $"has {e.Extra.Count} entries; the limit is {MaxExtraEntries}");
        }

        if (e.Extra.Any(p => p.Key.Length is 0 or > MaxExtraKey || p.Value.Length > MaxExtraValue))
        {
            return ("extra", $"keys must be 1 to {MaxExtraKey} characters and values at most {MaxExtraValue}");
        }

        if (e.Tlp != Proto.Tlp.Unspecified && !Enum.IsDefined(e.Tlp))
        {
            return ("tlp", $"{(int)e.Tlp} is not a valid Tlp");
        }

        if (e.Severity != Proto.Severity.Unspecified && !Enum.IsDefined(e.Severity))
        {
            return ("severity", $"{(int)e.Severity} is not a valid Severity");
        }

        return null;
    }

    /// <summary>
    /// Why an acceptable event of a bounded (ORGANISATION) feed is refused: it routes to a
    /// stakeholder the feed does not cover, or to no one; null when the feed may report about it.
    /// The field named is the one that decided the route (source_ip, source_asn, fqdn).
    /// </summary>
    public static (string Field, string Reason)? RefuseTarget(Proto.Event e, FeedPermit permit, ConstituencyIndex index)
    {
        var source = e.SourceIp.Length > 0 && IPAddress.TryParse(e.SourceIp, out var address) ? address : null;
        var owner = index.Route(source, e.SourceAsn, e.Fqdn);
        if (permit.RefuseTarget(owner) is not { } reason)
        {
            return null;
        }

        // The route takes the source address first, then the AS, then the domain: name the one it took.
        var field =
            source is not null && index.OwnerOf(source) is not null ? "source_ip"
            : e.SourceAsn != 0 && index.Route(null, e.SourceAsn, "") is not null ? "source_asn"
            : e.Fqdn.Length > 0 && index.OwnerOfDomain(e.Fqdn) is not null ? "fqdn"
            : e.SourceIp.Length > 0 ? "source_ip" : e.SourceAsn != 0 ? "source_asn" : e.Fqdn.Length > 0 ? "fqdn" : "source_ip";
        return (field, reason);
    }

    /// <summary>
    /// Puts an accepted event in the form it is stored in, in place (the event is the caller's own,
    /// fresh from the request): addresses in standard form, FQDN in lower case without the final
    /// dot, TLP set.
    /// </summary>
    public static void Canonicalise(Proto.Event e)
    {
        // Accepted IPv4 text is standard already (dotted decimal, no leading zeros); IPv6 has many spellings.
        e.SourceIp = StandardAddress(e.SourceIp);
        e.DestinationIp = StandardAddress(e.DestinationIp);
        if (e.Fqdn.Length > 0)
        {
            e.Fqdn = e.Fqdn.TrimEnd('.').ToLowerInvariant();
        }

        if (e.Tlp == Proto.Tlp.Unspecified)
        {
            e.Tlp = CommonMapping.ToProto(AutomatedTlp.Unlabelled);
        }
    }

    private static string StandardAddress(string accepted) =>
        accepted.Contains(':', StringComparison.Ordinal) && ObservableRules.TryParseAddress(accepted, out var address) ? address.ToString() : accepted;
}
