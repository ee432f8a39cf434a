using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Stakeholders;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Stakeholders;

/// <summary>Stakeholders between wire and domain; ToDomain validates every field.</summary>
public static class StakeholderMapping
{
    public static Proto.Stakeholder ToProto(Stakeholder s, ContactOptions contacts, DateTimeOffset now)
    {
        var proto = new Proto.Stakeholder
        {
            Id = s.Id,
            Name = s.Name,
            Type = (Proto.StakeholderType)(int)s.Type,
            Country = s.Country,
            Nis2EntityClass = (Proto.Nis2EntityClass)(int)s.Nis2EntityClass,
            TrustServiceProvider = s.TrustServiceProvider,
            Constituency = new Proto.Constituency(),
            Version = s.Version,
            CreatedAt = CommonMapping.ToProto(s.CreatedAt),
            UpdatedAt = CommonMapping.ToProto(s.UpdatedAt),
            VerificationRequestedAt = CommonMapping.ToProto(s.VerificationRequestedAt),
            StaleContactCount = s.Contacts.Count(c => contacts.IsStale(c, now)),
        };
        proto.SectorCodes.AddRange(s.SectorCodes);
        proto.Contacts.AddRange(s.Contacts.Select(c => new Proto.Contact
        {
            Name = c.Name,
            Role = c.Role,
            Email = c.Email,
            Phone = c.Phone,
            VerifiedAt = CommonMapping.ToProto(c.VerifiedAt),
            Stale = contacts.IsStale(c, now),
        }));
        proto.Constituency.IpPrefixes.AddRange(s.Constituency.IpPrefixes);
        proto.Constituency.Asns.AddRange(s.Constituency.Asns);
        proto.Constituency.Domains.AddRange(s.Constituency.Domains);
        return proto;
    }

    /// <summary>Validates a stakeholder message (every violation at once) and maps it to a profile.</summary>
    public static StakeholderProfile ToDomain(Proto.Stakeholder? s, DateTimeOffset now)
    {
        var v = new Violations();
        if (s is null)
        {
            v.Add("stakeholder", "is required").Throw();
        }

        FieldRules.StakeholderId(v, "stakeholder.id", s.Id);
        v.Required("stakeholder.name", s.Name, Limits.NameLength);
        v.Enum("stakeholder.type", s.Type);
        FieldRules.SectorCodes(v, "stakeholder.sector_codes", s.SectorCodes, Limits.SectorsPerItem);

        if (!StakeholderRules.IsValidCountry(s.Country))
        {
            v.Add("stakeholder.country", "must be an ISO 3166-1 alpha-2 code such as LU");
        }

        v.Enum("stakeholder.nis2_entity_class", s.Nis2EntityClass, required: false);
        var entityClass = s.Nis2EntityClass == Proto.Nis2EntityClass.Unspecified ? Nis2EntityClass.None : (Nis2EntityClass)(int)s.Nis2EntityClass;
        if (StakeholderRules.RefuseTrustServiceProvider(s.TrustServiceProvider, entityClass) is { } notTrustService)
        {
            v.Add("stakeholder.trust_service_provider", notTrustService);
        }

        v.MaxCount("stakeholder.contacts", s.Contacts, Limits.ContactsPerStakeholder);
        var contacts = new List<Contact>();
        for (var i = 0; i < Math.Min(s.Contacts.Count, Limits.ContactsPerStakeholder); i++)
        {
            var c = s.Contacts[i];
            var at = $"stakeholder.contacts[{i}]";
            v.Required(at + ".name", c.Name, Limits.NameLength);
            v.MaxLength(at + ".role", c.Role, Limits.NameLength);
            v.MaxLength(at + ".email", c.Email, Limits.ShortTextLength);
            FieldRules.Email(v, at + ".email", c.Email);
            v.MaxLength(at + ".phone", c.Phone, 64);
            var verifiedAt = FieldRules.PastTime(v, at + ".verified_at", c.VerifiedAt, now);
            contacts.Add(new Contact(c.Name, c.Role, c.Email, c.Phone, verifiedAt));
        }

        var constituency = ToDomain(s.Constituency ?? new Proto.Constituency(), v);
        v.ThrowIfAny();

        return new StakeholderProfile(
            s.Name.Trim(),
            (StakeholderType)(int)s.Type,
            s.SectorCodes.Distinct().ToArray(),
            s.Country,
            entityClass,
            contacts.ToArray(),
            constituency,
            s.TrustServiceProvider);
    }

    private static Constituency ToDomain(Proto.Constituency c, Violations v)
    {
        var total = c.IpPrefixes.Count + c.Asns.Count + c.Domains.Count;
        if (total > Limits.ConstituencyEntries)
        {
            v.Add("stakeholder.constituency", $"has {total} entries; the limit is {Limits.ConstituencyEntries}");
            return Constituency.Empty;
        }

        var prefixes = new List<string>();
        for (var i = 0; i < c.IpPrefixes.Count; i++)
        {
            if (ObservableRules.TryParsePrefix(c.IpPrefixes[i], out var network))
            {
                prefixes.Add(network.ToString());
            }
            else
            {
                v.Add($"stakeholder.constituency.ip_prefixes[{i}]",
                    $"'{FieldRules.Shorten(c.IpPrefixes[i])}' is not a CIDR prefix (e.g. 192.0.2.0/24) or has host bits set");
            }
        }

        for (var i = 0; i < c.Asns.Count; i++)
        {
            if (c.Asns[i] == 0)
            {
                v.Add($"stakeholder.constituency.asns[{i}]", "0 is not an autonomous system number");
            }
        }

        var domains = new List<string>();
        for (var i = 0; i < c.Domains.Count; i++)
        {
            var domain = c.Domains[i].Trim().TrimEnd('.').ToLowerInvariant();
            if (ObservableRules.IsDomain(domain))
            {
                domains.Add(domain);
            }
            else
            {
                v.Add($"stakeholder.constituency.domains[{i}]", $"'{FieldRules.Shorten(c.Domains[i])}' is not a domain name");
            }
        }

        return new Constituency(prefixes.Distinct().ToArray(), c.Asns.Distinct().ToArray(), domains.Distinct().ToArray());
    }
}
