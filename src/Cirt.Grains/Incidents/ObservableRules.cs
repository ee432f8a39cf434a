using Cirt.Grains.Common;
using System.Globalization;
using System.Net;
using System.Net.Mail;
using System.Text.RegularExpressions;

namespace Cirt.Grains.Incidents;

/// <summary>
/// Validates observables and brings them to one canonical form, so that the same IP, domain or
/// hash written two ways is recognised as one.
/// </summary>
public static partial class ObservableRules
{
    /// <summary>The canonical value, or an error saying what is wrong with it.</summary>
    public static (string? Value, string? Error) Normalise(ObservableType type, string raw)
    {
        var value = raw.Trim();
        var quoted = Echo.Of(value);
        if (value.Length == 0)
        {
            return (null, "must not be empty");
        }

        return type switch
        {
            ObservableType.IpAddress => TryParseAddress(value, out var ip)
                ? (ip.ToString(), null)
                : (null, $"'{quoted}' is not an IPv4 or IPv6 address"),
            ObservableType.IpPrefix => NormalisePrefix(value),
            ObservableType.Domain => IsDomain(value.TrimEnd('.'))
                ? (value.TrimEnd('.').ToLowerInvariant(), null)
                : (null, $"'{quoted}' is not a domain name"),
            ObservableType.Url => Uri.TryCreate(value, UriKind.Absolute, out var uri)
                                  && uri.Scheme is "http" or "https" or "ftp"
                ? (uri.ToString(), null)
                : (null, $"'{quoted}' is not an absolute http, https or ftp URL"),
            ObservableType.Email => MailAddress.TryCreate(value, out var mail) && mail.Address == value
                ? (mail.User + "@" + mail.Host.ToLowerInvariant(), null)
                : (null, $"'{quoted}' is not an e-mail address"),
            ObservableType.FileHash => HashPattern().IsMatch(value)
                ? (value.ToLowerInvariant(), null)
                : (null, $"'{quoted}' is not a hexadecimal MD5, SHA-1 or SHA-256 digest"),
            ObservableType.Asn => NormaliseAsn(value),
            ObservableType.Cve => CvePattern().IsMatch(value)
                ? (value.ToUpperInvariant(), null)
                : (null, $"'{quoted}' is not a CVE identifier (CVE-YYYY-NNNN)"),
            _ => (null, "unknown observable type"),
        };
    }

    /// <summary>Whether <paramref name="value"/> is a syntactically valid DNS name with at least two labels.</summary>
    public static bool IsDomain(string value) => value.Length <= 253 && DomainPattern().IsMatch(value);

    /// <summary>
    /// Parses an IP address in its standard text form only: IPv4 as four decimal octets without
    /// leading zeros, IPv6 without a zone. The legacy forms IPAddress.TryParse also accepts
    /// ("010.0.0.1" read as octal, "10.1", "3221225985") would silently become another address.
    /// </summary>
    public static bool TryParseAddress(string value, out IPAddress address)
    {
        address = IPAddress.None;
        if (value.Contains(':', StringComparison.Ordinal))
        {
            return !value.Contains('%', StringComparison.Ordinal)
                   && IPAddress.TryParse(value, out address!)
                   && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        }

        return Ipv4Pattern().IsMatch(value) && IPAddress.TryParse(value, out address!);
    }

    /// <summary>
    /// Parses a CIDR prefix such as 192.0.2.0/24, refusing one with host bits set (192.0.2.1/24):
    /// that is almost always a typo for a host or another prefix, and routing on it would mislead.
    /// </summary>
    public static bool TryParsePrefix(string value, out IPNetwork network)
    {
        network = default;
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        return slash > 0
               && TryParseAddress(value[..slash], out var address)
               && IPNetwork.TryParse(value, out network)
               && network.BaseAddress.Equals(address);
    }

    private static (string?, string?) NormalisePrefix(string value) =>
        TryParsePrefix(value, out var network)
            ? (network.ToString(), null)
            : (null, $"'{Echo.Of(value)}' is not a CIDR prefix (e.g. 192.0.2.0/24) or has host bits set");

    private static (string?, string?) NormaliseAsn(string value)
    {
        var digits = value.StartsWith("AS", StringComparison.OrdinalIgnoreCase) ? value[2..] : value;
        return uint.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var asn) && asn > 0
            ? ("AS" + asn.ToString(CultureInfo.InvariantCulture), null)
            : (null, $"'{Echo.Of(value)}' is not an autonomous system number");
    }

    [GeneratedRegex(@"^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}\z")]
    private static partial Regex Ipv4Pattern();

    [GeneratedRegex("^([0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64})\\z")]
    private static partial Regex HashPattern();

    [GeneratedRegex("^CVE-[0-9]{4}-[0-9]{4,}\\z", RegexOptions.IgnoreCase)]
    private static partial Regex CvePattern();

    [GeneratedRegex(@"^(?=.{1,253}$)([a-zA-Z0-9_]([a-zA-Z0-9-_]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\z")]
    private static partial Regex DomainPattern();
}
