using System.Net;
using Cirt.Grains.Incidents;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Federation;

/// <summary>
/// The indicators that leave with an item, in canonical form: an IP address written in free text
/// is an indicator (not a victim's address) only when it is listed here.
/// <para>
/// An address counts as listed when the same address is an IP address indicator (an IPv4-mapped
/// IPv6 address is its IPv4 address); a prefix written in text when the same prefix is an IP prefix
/// indicator. An address inside a listed prefix does <b>not</b> count as listed: a prefix marks a
/// range of interest (a hoster's block, say) that also holds victims' hosts, and a wide prefix
/// would otherwise let every address in free text leave unexamined. The cost is a coordinator's
/// look at a held item; the other way round it would be a leak.
/// </para>
/// <para>A URL written in text that is a listed URL indicator is skipped whole (its host may be an IP address).</para>
/// </summary>
public sealed class ListedIndicators
{
    private readonly HashSet<IPAddress> addresses;
    private readonly HashSet<IPNetwork> prefixes;
    private readonly HashSet<string> urls;

    private ListedIndicators(HashSet<IPAddress> addresses, HashSet<IPNetwork> prefixes, HashSet<string> urls)
    {
        this.addresses = addresses;
        this.prefixes = prefixes;
        this.urls = urls;
    }

    /// <summary>No indicators: every IP address in free text is examined.</summary>
    public static ListedIndicators None { get; } = new([], [], new HashSet<string>(StringComparer.Ordinal));

    /// <summary>The indicators of an item; values that are not valid for their type are ignored.</summary>
    public static ListedIndicators Of(IEnumerable<Proto.Observable> indicators)
    {
        var addresses = new HashSet<IPAddress>();
        var prefixes = new HashSet<IPNetwork>();
        var urls = new HashSet<string>(StringComparer.Ordinal);
        foreach (var indicator in indicators)
        {
            switch (indicator.Type)
            {
                case Proto.ObservableType.IpAddress when ObservableRules.TryParseAddress(indicator.Value.Trim(), out var address):
                    addresses.Add(Canonical(address));
                    break;
                case Proto.ObservableType.IpPrefix when ObservableRules.TryParsePrefix(indicator.Value.Trim(), out var prefix):
                    prefixes.Add(prefix);
                    break;
                case Proto.ObservableType.Url when ObservableRules.Normalise(ObservableType.Url, indicator.Value) is { Value: { } url }:
                    urls.Add(url);
                    break;
            }
        }

        return new ListedIndicators(addresses, prefixes, urls);
    }

    public bool Contains(IPAddress address) => addresses.Contains(Canonical(address));

    public bool Contains(IPNetwork prefix) => prefixes.Contains(prefix);

    /// <summary>Whether <paramref name="url"/> (as written in text) is a listed URL indicator.</summary>
    public bool ContainsUrl(string url) => urls.Count > 0 && ObservableRules.Normalise(ObservableType.Url, url) is { Value: { } canonical } && urls.Contains(canonical);

    /// <summary>The one form an address is compared and pseudonymised in: an IPv4-mapped IPv6 address as IPv4.</summary>
    public static IPAddress Canonical(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
