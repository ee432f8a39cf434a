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
    /// The origin of an item <paramref name="senderPartnerId"/> delivered, checked field by field
    /// (INVALID_ARGUMENT under "origin"). Its route starts at the origin and ends at the sender: a
    /// partner cannot pass on an item as if it came from elsewhere (PERMISSION_DENIED).
    /// </summary>
    public static ItemOrigin ToDomain(Proto.ItemOrigin? origin, string senderPartnerId)
    {
        var v = new Violations();
        if (origin is null)
        {
            v.Add("origin", "is required").Throw();
        }

        if (!FederationOptions.InstanceIdPattern().IsMatch(origin.InstanceId))
        {
            v.Add("origin.instance_id", "must be an instance id (1 to 64 lower-case letters, digits, '.', '_' or '-')");
        }

        if (!FederationOptions.CountryPattern().IsMatch(origin.Country))
        {
            v.Add("origin.country", "must be an ISO 3166-1 alpha-2 code in upper case, e.g. DE");
        }

        v.Required("origin.item_id", origin.ItemId, Limits.IdLength);
        if (origin.ItemVersion < 1)
        {
            v.Add("origin.item_version", "must be 1 or more");
        }

        v.MaxCount("origin.route", origin.Route, MaxRoute);
        for (var i = 0; i < Math.Min(origin.Route.Count, MaxRoute); i++)
        {
            if (!FederationOptions.InstanceIdPattern().IsMatch(origin.Route[i]))
            {
                v.Add($"origin.route[{i}]", "must be an instance id");
            }
        }

        if (origin.Route.Count == 0 || origin.Route[0] != origin.InstanceId)
        {
            v.Add("origin.route", "must start with the origin's instance id");
        }

        v.ThrowIfAny();
        if (origin.Route[^1] != senderPartnerId)
        {
            RpcErrors.Throw(Grpc.Core.StatusCode.PermissionDenied,
                $"The item's route ends at {origin.Route[^1]}, but {senderPartnerId} sent it: a partner passes on an item only with itself at the end of its route.");
        }

        return new ItemOrigin(origin.InstanceId, origin.Country, origin.ItemId, origin.ItemVersion, [.. origin.Route], origin.Reshared, senderPartnerId);
    }
}
