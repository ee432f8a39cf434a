using Cirt.Grains.Ingest.Feeds;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Feeds;

/// <summary>Feeds between protobuf and the domain.</summary>
public static class FeedMapping
{
    public static Proto.Feed ToProto(Feed feed)
    {
        var proto = new Proto.Feed
        {
            Name = feed.Name,
            OwnerStakeholderId = feed.Settings.OwnerStakeholderId,
            Trust = (Proto.FeedTrust)(int)feed.Settings.Trust,
            Description = feed.Settings.Description,
            QuotaPerMinute = feed.Settings.QuotaPerMinute,
            Severity = CommonMapping.ToProto(feed.Settings.Severity),
            Suspended = feed.Suspended,
            SuspendedReason = feed.SuspendedReason,
            SuspendedAt = CommonMapping.ToProto(feed.SuspendedAt),
            SuspendedBy = feed.SuspendedBy,
            Version = feed.Version,
            RegisteredAt = CommonMapping.ToProto(feed.RegisteredAt),
            RegisteredBy = feed.RegisteredBy,
            UpdatedAt = CommonMapping.ToProto(feed.UpdatedAt),
            UpdatedBy = feed.UpdatedBy,
        };
        proto.WidenedStakeholderIds.AddRange(feed.Settings.WidenedStakeholderIds);
        proto.Grants.AddRange(feed.Grants.Select(g => new Proto.FeedGrant
        {
            KeyId = g.KeyId,
            KeyName = g.KeyName,
            GrantedAt = CommonMapping.ToProto(g.GrantedAt),
            GrantedBy = g.GrantedBy,
        }));
        return proto;
    }

    /// <summary>The settings as sent (a missing message is empty settings, which validation refuses field by field).</summary>
    public static FeedSettings ToDomain(Proto.FeedSettings? settings) => settings is null
        ? new FeedSettings("", FeedTrust.Unspecified, [], "", 0)
        : new FeedSettings(settings.OwnerStakeholderId, (FeedTrust)(int)settings.Trust, settings.WidenedStakeholderIds.ToArray(), settings.Description, settings.QuotaPerMinute)
        {
            Severity = CommonMapping.ToDomain(settings.Severity),
        };
}
