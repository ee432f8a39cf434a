using System.Net;
using System.Text.RegularExpressions;
using Cirt.Contracts.V1;
using Cirt.Grains.Incidents;

namespace Cirt.Server.Federation;

/// <summary>
/// Finds personal data in one free text before it leaves for a partner: e-mail addresses, phone
/// numbers, and IP addresses that are not listed among the item's indicators (see
/// <see cref="ListedIndicators"/> for what counts as listed). It leans towards finding: a false
/// hit costs a coordinator's look at a held item, a miss sends someone's data abroad.
/// <para>Phone numbers: international (+CC or 00CC), national with a trunk 0 or an area code in
/// brackets, and North American (555-123-4567), 8 to 15 digits, grouped by spaces, hyphens, dots,
/// slashes or brackets. Not phone numbers: CVE ids, dates, version numbers, IP addresses, hashes,
/// dotted numbers shorter than a national number, numbers after the word "version" or "build", and
/// any digits glued to letters or to a '-', '.', '/' or '@' before them.</para>
/// <para>IP addresses: IPv4 in dotted decimal, IPv6 in any standard form, either with a /length. Not
/// personal: the unspecified, loopback and broadcast addresses, and the prefix of all addresses.</para>
/// </summary>
public static partial class PersonalDataScanner
{
    public const int MinimumPhoneDigits = 8;

    /// <summary>The longest number E.164 allows.</summary>
    public const int MaximumPhoneDigits = 15;

    private static readonly string[] VersionWords = ["version", "versions", "release", "build"];

    /// <summary>What <paramref name="text"/> holds of personal data, by offset; empty when nothing.</summary>
    public static IReadOnlyList<PersonalDataMatch> Scan(string text, ListedIndicators listed)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(listed);
        if (text.Length == 0)
        {
            return [];
        }

        // Spans already accounted for: listed URLs, then each kind in turn (an IPv4 address inside an
        // IPv6 one, or digits of an e-mail address, are not found twice).
        var claimed = new List<(int Start, int End)>();
        var found = new List<PersonalDataMatch>();

        foreach (Match m in UrlPattern().Matches(text))
        {
            var url = m.Value.TrimEnd('.', ',', ';', ':', '!', '?', ')', ']', '\'', '"');
            if (listed.ContainsUrl(url))
            {
                claimed.Add((m.Index, m.Index + url.Length));
            }
        }

        foreach (Match m in EmailPattern().Matches(text))
        {
            Claim(new PersonalDataMatch(PersonalDataKind.EmailAddress, m.Index, m.Value, m.Value), reportable: true);
        }

        foreach (Match m in Ipv6Pattern().Matches(text))
        {
            var value = m.Value;
            var ip = IpOf(value);
            if (ip is null && value.EndsWith(':') && !value.EndsWith("::", StringComparison.Ordinal))
            {
                value = value[..^1];
                ip = IpOf(value);
            }

            if (ip is { } address)
            {
                Claim(new PersonalDataMatch(PersonalDataKind.IpAddress, m.Index, value, address.Canonical), address.IsPersonal(listed));
            }
        }

        foreach (Match m in Ipv4Pattern().Matches(text))
        {
            if (IpOf(m.Value) is { } address && !FollowsVersionWord(text, m.Index))
            {
                Claim(new PersonalDataMatch(PersonalDataKind.IpAddress, m.Index, m.Value, address.Canonical), address.IsPersonal(listed));
            }
        }

        foreach (Match m in PhoneSpanPattern().Matches(text))
        {
            foreach (var (start, end) in PhoneNumbersIn(text, m.Index, m.Index + m.Length))
            {
                var value = text[start..end];
                Claim(new PersonalDataMatch(PersonalDataKind.PhoneNumber, start, value, value), reportable: true);
            }
        }

        found.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        return found;

        void Claim(PersonalDataMatch match, bool reportable)
        {
            if (claimed.Any(c => c.Start < match.End && match.Offset < c.End))
            {
                return;
            }

            claimed.Add((match.Offset, match.End));
            if (reportable)
            {
                found.Add(match);
            }
        }
    }

    /// <summary>
    /// The phone numbers in a run of digit groups: the whole run when it is one, else the longest
    /// number starting at each space (a date followed by a number is two things).
    /// </summary>
    private static IEnumerable<(int Start, int End)> PhoneNumbersIn(string text, int spanStart, int spanEnd)
    {
        var cuts = new List<int>();
        for (var i = spanStart; i < spanEnd; i++)
        {
            if (text[i] == ' ')
            {
                cuts.Add(i);
            }
        }

        var starts = new List<int> { spanStart };
        starts.AddRange(cuts.Select(c => c + 1));
        var ends = new List<int>(cuts) { spanEnd };
        var next = spanStart;
        foreach (var start in starts)
        {
            if (start < next)
            {
                continue;
            }

            var digits = 0;
            var position = start;
            var candidates = new List<int>();
            foreach (var end in ends.Where(e => e > start))
            {
                for (; position < end; position++)
                {
                    digits += char.IsAsciiDigit(text[position]) ? 1 : 0;
                }

                if (digits > MaximumPhoneDigits)
                {
                    break;
                }

                candidates.Add(end);
            }

            for (var i = candidates.Count - 1; i >= 0; i--)
            {
                var (s, e) = WithoutStrayBrackets(text, start, candidates[i]);
                if (s < e && IsPhoneNumber(text[s..e]) && !FollowsVersionWord(text, s))
                {
                    yield return (s, e);
                    next = candidates[i];
                    break;
                }
            }
        }
    }

    private static (int Start, int End) WithoutStrayBrackets(string text, int start, int end)
    {
        while (start < end)
        {
            var span = text.AsSpan(start, end - start);
            var opening = span.Count('(');
            var closing = span.Count(')');
            if (text[start] == '(' && (opening > closing || (text[end - 1] == ')' && span.IndexOf(')') == span.Length - 1)))
            {
                // An unclosed bracket, or one around the whole number: "(0301234567)".
                start++;
            }
            else if (text[end - 1] == ')' && closing > opening)
            {
                end--;
            }
            else
            {
                break;
            }
        }

        return (start, end);
    }

    /// <summary>Whether a run of digit groups reads as a phone number (see the class summary).</summary>
    public static bool IsPhoneNumber(string candidate)
    {
        var digits = candidate.Count(char.IsAsciiDigit);
        if (digits is < MinimumPhoneDigits or > MaximumPhoneDigits || DatePattern().IsMatch(candidate))
        {
            return false;
        }

        var plain = candidate.TrimStart('(');
        if (plain.StartsWith('+'))
        {
            // Country codes never start with 0.
            return plain.Length > 1 && plain[1] is >= '1' and <= '9';
        }

        // Dotted numbers are versions unless they are long enough for a national number (01.23.45.67.89).
        if (candidate.All(c => char.IsAsciiDigit(c) || c == '.') && digits < 10)
        {
            return false;
        }

        if (NorthAmericanPattern().IsMatch(candidate) || candidate.StartsWith('('))
        {
            return true;
        }

        // A trunk 0 (or 00 before a country code), but not a decimal such as 0.12345678.
        return candidate.StartsWith('0') && candidate.Length > 1 && candidate[1] != '.';
    }

    private static bool FollowsVersionWord(string text, int index)
    {
        var end = index;
        while (end > 0 && text[end - 1] == ' ')
        {
            end--;
        }

        var start = end;
        while (start > 0 && char.IsLetter(text[start - 1]))
        {
            start--;
        }

        var word = text[start..end];
        return end < index && VersionWords.Any(v => word.Equals(v, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>An address or prefix as written in text, or null when it is not one.</summary>
    private static IpMention? IpOf(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return ObservableRules.TryParseAddress(value, out var address) ? IpMention.Of(address) : null;
        }

        if (ObservableRules.TryParsePrefix(value, out var prefix))
        {
            return IpMention.Of(prefix);
        }

        // Host bits set (192.0.2.7/24): the host is what the text names.
        return ObservableRules.TryParseAddress(value[..slash], out var host) ? IpMention.Of(host) : null;
    }

    /// <summary>An IP address, or a prefix, written in text.</summary>
    private sealed record IpMention(IPAddress? Address, IPNetwork? Prefix, string Canonical)
    {
        public static IpMention Of(IPAddress address)
        {
            var canonical = ListedIndicators.Canonical(address);
            return new IpMention(canonical, null, canonical.ToString());
        }

        public static IpMention Of(IPNetwork prefix) => new(null, prefix, prefix.ToString());

        /// <summary>Whether it may be someone's address: not listed, and not one that names no host.</summary>
        public bool IsPersonal(ListedIndicators listed)
        {
            if (Address is { } address)
            {
                return !(listed.Contains(address) || IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any)
                         || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast));
            }

            var prefix = Prefix!.Value;
            return !(listed.Contains(prefix) || prefix.PrefixLength == 0 || IPAddress.IsLoopback(prefix.BaseAddress));
        }
    }

    [GeneratedRegex(@"(?:https?|ftp)://[^\s<>""{}|\\^`]+", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"(?<![\p{L}\p{N}._%+'\-])[\p{L}\p{N}_%+'\-]+(?:\.[\p{L}\p{N}_%+'\-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}\-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,63}(?![\p{L}\p{N}\-])")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"(?<![\p{L}\p{N}_:.])(?=[0-9A-Fa-f]*:[0-9A-Fa-f]*:)[0-9A-Fa-f:]+(?:(?<=:)(?:[0-9]{1,3}\.){3}[0-9]{1,3})?(?:/[0-9]{1,3})?(?![\p{L}\p{N}_]|\.[0-9])")]
    private static partial Regex Ipv6Pattern();

    [GeneratedRegex(@"(?<![\p{L}\p{N}_.])(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:/(?:3[0-2]|[12]?[0-9]))?(?![\p{L}\p{N}_]|\.[0-9]|/[0-9])")]
    private static partial Regex Ipv4Pattern();

    /// <summary>Digit groups joined by one separator (space, '-', '.', '/', or brackets around a group), not glued to a word.</summary>
    [GeneratedRegex(@"(?<![\p{L}\p{N}_.\-/@#+])\(?\+?[0-9]+(?:(?:[ .\-/]|\)[ \-]?|[ \-]?\()[0-9]+)*\)?(?![\p{L}\p{N}_@%]|[.\-/:][\p{L}\p{N}])")]
    private static partial Regex PhoneSpanPattern();

    [GeneratedRegex(@"^(?:[0-9]{4}[-./ ][0-9]{1,2}[-./ ][0-9]{1,2}|[0-9]{1,2}[-./ ][0-9]{1,2}[-./ ][0-9]{4})$")]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"^(?:\+?1[ .\-]?)?(?:\([2-9][0-9]{2}\)[ .\-]?|[2-9][0-9]{2}[ .\-])[0-9]{3}[ .\-][0-9]{4}$")]
    private static partial Regex NorthAmericanPattern();
}
