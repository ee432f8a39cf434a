using System.Globalization;
using System.Text;
using Cirt.Grains.Incidents;

namespace Cirt.Server.Stix;

/// <summary>
/// STIX patterns for our observables, and back. Written: one equality per indicator, e.g.
/// <c>[ipv4-addr:value = '198.51.100.0/24']</c> or <c>[file:hashes.'SHA-256' = '…']</c>, with quotes
/// and backslashes escaped. Read: equalities on those properties, joined by OR inside or between
/// observation expressions; anything else (AND, other operators, qualifiers, other properties) is
/// not a list of indicators and is reported as unsupported rather than half read.
/// </summary>
public static class StixPatterns
{
    /// <summary>The pattern matching <paramref name="observable"/>; null for CVE ids, which no STIX pattern matches (they become vulnerabilities).</summary>
    public static string? For(Observable observable)
    {
        var value = observable.Value;
        return observable.Type switch
        {
            ObservableType.IpAddress or ObservableType.IpPrefix =>
                Equality(value.Contains(':', StringComparison.Ordinal) ? "ipv6-addr:value" : "ipv4-addr:value", value),
            ObservableType.Domain => Equality("domain-name:value", value),
            ObservableType.Url => Equality("url:value", value),
            ObservableType.Email => Equality("email-addr:value", value),
            ObservableType.FileHash => Equality($"file:hashes.'{HashAlgorithm(value)}'", value),
            ObservableType.Asn => $"[autonomous-system:number = {AsnNumber(value)}]",
            _ => null,
        };
    }

    /// <summary>"MD5", "SHA-1" or "SHA-256", by the digest's length in hex digits.</summary>
    public static string HashAlgorithm(string hex) => hex.Length switch
    {
        32 => "MD5",
        40 => "SHA-1",
        64 => "SHA-256",
        _ => throw new ArgumentException($"A digest of {hex.Length} hex digits is not MD5, SHA-1 or SHA-256.", nameof(hex)),
    };

    /// <summary>A STIX pattern string literal: in single quotes, with ' and \ escaped.</summary>
    public static string Quote(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    /// <summary>Reads <paramref name="pattern"/> as a list of observables (see the class summary).</summary>
    public static StixPatternReading Read(string pattern)
    {
        var reader = new Scanner(pattern);
        var found = new List<Observable>();
        try
        {
            while (true)
            {
                reader.Expect('[');
                while (true)
                {
                    found.Add(reader.Comparison());
                    if (reader.Keyword("OR"))
                    {
                        continue;
                    }

                    reader.Expect(']');
                    break;
                }

                if (reader.AtEnd())
                {
                    return new StixPatternReading(found, null);
                }

                if (!reader.Keyword("OR"))
                {
                    throw new UnsupportedPattern("only observation expressions joined by OR are read");
                }
            }
        }
        catch (UnsupportedPattern e)
        {
            return new StixPatternReading([], e.Message);
        }
    }

    private static string Equality(string path, string value) => $"[{path} = {Quote(value)}]";

    private static string AsnNumber(string value) =>
        value.StartsWith("AS", StringComparison.OrdinalIgnoreCase) ? value[2..] : value;

    private sealed class UnsupportedPattern(string message) : Exception(message);

    private sealed class Scanner(string text)
    {
        private int _at;

        public bool AtEnd()
        {
            SkipSpace();
            return _at == text.Length;
        }

        public void Expect(char c)
        {
            SkipSpace();
            if (_at >= text.Length || text[_at] != c)
            {
                throw new UnsupportedPattern(_at >= text.Length ? $"'{c}' expected at the end" : $"'{c}' expected at position {_at + 1}");
            }

            _at++;
        }

        public bool Keyword(string word)
        {
            SkipSpace();
            if (string.CompareOrdinal(text, _at, word, 0, word.Length) == 0
                && (_at + word.Length == text.Length || !char.IsLetterOrDigit(text[_at + word.Length])))
            {
                _at += word.Length;
                return true;
            }

            return false;
        }

        /// <summary>path = literal, read as an observable.</summary>
        public Observable Comparison()
        {
            var (objectType, properties) = Path();
            SkipSpace();
            if (_at >= text.Length || text[_at] != '=' || (_at + 1 < text.Length && text[_at + 1] == '='))
            {
                throw new UnsupportedPattern($"only '=' comparisons are read ({objectType}:{string.Join('.', properties)})");
            }

            _at++;
            var literal = Literal();
            var path = $"{objectType}:{string.Join('.', properties)}";
            return (objectType, properties.ToArray(), literal) switch
            {
                ("ipv4-addr" or "ipv6-addr", ["value"], string value) =>
                    new Observable(value.Contains('/', StringComparison.Ordinal) ? ObservableType.IpPrefix : ObservableType.IpAddress, value, ""),
                ("domain-name", ["value"], string value) => new Observable(ObservableType.Domain, value, ""),
                ("url", ["value"], string value) => new Observable(ObservableType.Url, value, ""),
                ("email-addr", ["value"], string value) => new Observable(ObservableType.Email, value, ""),
                ("file", ["hashes", var algorithm], string value) when IsReadHash(algorithm) => new Observable(ObservableType.FileHash, value, ""),
                ("autonomous-system", ["number"], long number) => new Observable(ObservableType.Asn, "AS" + number.ToString(CultureInfo.InvariantCulture), ""),
                _ => throw new UnsupportedPattern($"{path} is not one of the properties read (IP address, domain, URL, e-mail address, MD5/SHA-1/SHA-256 hash, AS number)"),
            };
        }

        private static bool IsReadHash(string algorithm) =>
            algorithm.ToUpperInvariant() is "MD5" or "SHA-1" or "SHA1" or "SHA-256" or "SHA256";

        private (string ObjectType, List<string> Properties) Path()
        {
            SkipSpace();
            var start = _at;
            while (_at < text.Length && (char.IsAsciiLetterLower(text[_at]) || char.IsAsciiDigit(text[_at]) || text[_at] == '-'))
            {
                _at++;
            }

            var objectType = text[start.._at];
            if (objectType.Length == 0 || _at >= text.Length || text[_at] != ':')
            {
                throw new UnsupportedPattern($"an object path (type:property) expected at position {start + 1}");
            }

            _at++;
            var properties = new List<string>();
            while (true)
            {
                properties.Add(_at < text.Length && text[_at] == '\'' ? QuotedString() : Name());
                if (_at < text.Length && text[_at] == '.')
                {
                    _at++;
                    continue;
                }

                if (_at < text.Length && text[_at] == '[')
                {
                    throw new UnsupportedPattern("list indexes in object paths are not read");
                }

                return (objectType, properties);
            }
        }

        private string Name()
        {
            var start = _at;
            while (_at < text.Length && (char.IsAsciiLetterOrDigit(text[_at]) || text[_at] is '_' or '-'))
            {
                _at++;
            }

            return start == _at ? throw new UnsupportedPattern($"a property name expected at position {start + 1}") : text[start.._at];
        }

        private object Literal()
        {
            SkipSpace();
            if (_at < text.Length && text[_at] == '\'')
            {
                return QuotedString();
            }

            var start = _at;
            if (_at < text.Length && text[_at] == '-')
            {
                _at++;
            }

            while (_at < text.Length && char.IsAsciiDigit(text[_at]))
            {
                _at++;
            }

            return long.TryParse(text.AsSpan(start, _at - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                   && (_at == text.Length || !char.IsLetterOrDigit(text[_at]) && text[_at] != '.' && text[_at] != '\'')
                ? number
                : throw new UnsupportedPattern($"only string and integer constants are read (position {start + 1})");
        }

        /// <summary>A '…' literal: \' and \\ are its only escapes.</summary>
        private string QuotedString()
        {
            var start = _at;
            _at++;
            var value = new StringBuilder();
            while (_at < text.Length)
            {
                var c = text[_at++];
                if (c == '\'')
                {
                    return value.ToString();
                }

                if (c == '\\')
                {
                    if (_at < text.Length && text[_at] is '\'' or '\\')
                    {
                        value.Append(text[_at++]);
                        continue;
                    }

                    throw new UnsupportedPattern($"only \\' and \\\\ may be escaped in a string (position {_at})");
                }

                value.Append(c);
            }

            throw new UnsupportedPattern($"the string starting at position {start + 1} does not end");
        }

        private void SkipSpace()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
            {
                _at++;
            }
        }
    }
}
