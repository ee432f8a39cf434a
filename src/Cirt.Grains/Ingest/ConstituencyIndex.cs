using System.Net;
using System.Net.Sockets;
using Cirt.Grains.Stakeholders;

namespace Cirt.Grains.Ingest;

/// <summary>
/// Who owns an event: the stakeholder whose constituency holds the longest IP prefix matching the
/// source address, else the one owning the source AS, else the one owning the longest matching
/// domain suffix of the FQDN. Immutable: rebuilt whenever the directory changes.
/// </summary>
public sealed class ConstituencyIndex
{
    // Per prefix length (longest first): network address → owner. IPv4 and IPv6 apart.
    private readonly (int Length, Dictionary<UInt128, string> Owners)[] _v4;
    private readonly (int Length, Dictionary<UInt128, string> Owners)[] _v6;
    private readonly Dictionary<uint, string> _asns = [];
    private readonly Dictionary<string, string> _domains = new(StringComparer.Ordinal);

    public ConstituencyIndex(IEnumerable<Stakeholder> stakeholders)
    {
        var v4 = new SortedDictionary<int, Dictionary<UInt128, string>>();
        var v6 = new SortedDictionary<int, Dictionary<UInt128, string>>();
        // Ordered by id so that two stakeholders claiming the same prefix resolve the same way every time.
        foreach (var s in stakeholders.OrderBy(s => s.Id, StringComparer.Ordinal))
        {
            foreach (var text in s.Constituency.IpPrefixes)
            {
                if (!IPNetwork.TryParse(text, out var network))
                {
                    continue;
                }

                var table = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? v4 : v6;
                if (!table.TryGetValue(network.PrefixLength, out var owners))
                {
                    table[network.PrefixLength] = owners = [];
                }

                owners.TryAdd(ToNumber(network.BaseAddress), s.Id);
            }

            foreach (var asn in s.Constituency.Asns)
            {
                _asns.TryAdd(asn, s.Id);
            }

            foreach (var domain in s.Constituency.Domains)
            {
                _domains.TryAdd(domain, s.Id);
            }
        }

        _v4 = v4.Reverse().Select(p => (p.Key, p.Value)).ToArray();
        _v6 = v6.Reverse().Select(p => (p.Key, p.Value)).ToArray();
        PrefixCount = v4.Values.Sum(o => o.Count) + v6.Values.Sum(o => o.Count);
    }

    public int PrefixCount { get; }

    /// <summary>The owner of an event, or null when nobody's constituency matches.</summary>
    public string? Route(IPAddress? sourceIp, uint sourceAsn, string fqdn) =>
        (sourceIp is null ? null : OwnerOf(sourceIp))
        ?? (sourceAsn != 0 && _asns.TryGetValue(sourceAsn, out var byAsn) ? byAsn : null)
        ?? (fqdn.Length > 0 ? OwnerOfDomain(fqdn) : null);

    public string? OwnerOf(IPAddress address)
    {
        var v4 = address.AddressFamily == AddressFamily.InterNetwork;
        var bits = v4 ? 32 : 128;
        var number = ToNumber(address);
        foreach (var (length, owners) in v4 ? _v4 : _v6)
        {
            var mask = length == 0 ? UInt128.Zero : UInt128.MaxValue << (bits - length);
            if (v4)
            {
                mask &= uint.MaxValue;
            }

            if (owners.TryGetValue(number & mask, out var owner))
            {
                return owner;
            }
        }

        return null;
    }

    /// <summary>The owner of the longest registered suffix: a.b.example.org matches example.org.</summary>
    public string? OwnerOfDomain(string fqdn)
    {
        var name = fqdn.TrimEnd('.').ToLowerInvariant();
        while (true)
        {
            if (_domains.TryGetValue(name, out var owner))
            {
                return owner;
            }

            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                return null;
            }

            name = name[(dot + 1)..];
        }
    }

    private static UInt128 ToNumber(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        UInt128 value = 0;
        for (var i = 0; i < written; i++)
        {
            value = (value << 8) | bytes[i];
        }

        return value;
    }
}
