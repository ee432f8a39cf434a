using Cirt.Grains.Common;
using Cirt.Grains.Partners;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Federation;

/// <summary>Where a shared item comes from, between its wire form and <see cref="ItemOrigin"/>.</summary>
public static class ItemOriginMapping
{
    /// <summary>The most instances an item's route names (origin and sender included).</summary>
    public const int MaxRoute = 16;

    public static Proto.ItemOrigin ToProto(ItemOrigin origin)
    {
        var proto = new Proto.ItemOrigin
        {
            InstanceId = origin.InstanceId,
            Country = origin.Country,
            ItemId = origin.ItemId,
            ItemVersion = origin.ItemVersion,
            Reshared = origin.Reshared,
        };
        proto.Route.AddRange(origin.Route);
        return proto;
    }

    /// <summary>
    /// The origin of an item <paramref name="senderPartnerId"/> delivered. Refused with a
    /// <see cref="CirtException"/>: a malformed origin (INVALID_ARGUMENT, naming the field), and a route
    /// that does not run from the origin to the sender (PERMISSION_DENIED: a partner passes an item on
    /// only with itself at the end of its route, so it cannot present it as coming from elsewhere).
    /// </summary>
    public static ItemOrigin ToDomain(Proto.ItemOrigin? origin, string senderPartnerId)
    {
        if (origin is null)
        {
            throw Malformed("origin", "is required");
        }

        if (!PartnerRules.IsValidId(origin.InstanceId))
        {
            throw Malformed("origin.instance_id", "must be an instance id (1 to 64 lower-case letters, digits, '.', '_' or '-')");
        }

        if (!PartnerRules.IsValidCountry(origin.Country))
        {
            throw Malformed("origin.country", "must be an ISO 3166-1 alpha-2 code in upper case, e.g. DE");
        }

        if (origin.ItemId.Length is 0 or > Limits.IdLength || origin.ItemId.Any(char.IsControl))
        {
            throw Malformed("origin.item_id", $"must be 1 to {Limits.IdLength} printable characters");
        }

        if (origin.ItemVersion < 1)
        {
            throw Malformed("origin.item_version", "must be 1 or more");
        }

        if (origin.Route.Count is 0 or > MaxRoute || origin.Route.Any(i => !PartnerRules.IsValidId(i)))
        {
            throw Malformed("origin.route", $"must name 1 to {MaxRoute} instance ids");
        }

        if (origin.Route[0] != origin.InstanceId)
        {
            throw Malformed("origin.route", "must start with the origin's instance id");
        }

        if (origin.Route[^1] != senderPartnerId)
        {
            throw new CirtException(CirtErrorKind.PermissionDenied,
                $"The item's route ends at {origin.Route[^1]}, but {senderPartnerId} sent it: a partner passes an item on only with itself at the end of its route.");
        }

        return new ItemOrigin(origin.InstanceId, origin.Country, origin.ItemId, origin.ItemVersion, [.. origin.Route], origin.Reshared, senderPartnerId);
    }

    private static CirtException Malformed(string field, string problem) => new(CirtErrorKind.InvalidArgument, $"{field} {problem}.", field);
}
