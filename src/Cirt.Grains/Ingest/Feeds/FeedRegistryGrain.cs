using Cirt.Grains.Common;
using Cirt.Grains.Security;
using Microsoft.Extensions.Logging;

namespace Cirt.Grains.Ingest.Feeds;

/// <summary>The feed registry: applies <see cref="FeedRules"/>, stores what they return and logs every change (the audit trail).</summary>
public sealed class FeedRegistryGrain(
    [PersistentState("feed-registry", StorageNames.Cirt)] IPersistentState<FeedRegistryState> state,
    CirtClock clock,
    ILogger<FeedRegistryGrain> logger) : Grain, IFeedRegistryGrain
{
    public Task<Feed[]> ListAsync() =>
        Task.FromResult(state.State.Feeds.Values.OrderBy(f => f.Name, StringComparer.Ordinal).ToArray());

    public Task<Feed?> GetAsync(string name) => Task.FromResult(state.State.Feeds.GetValueOrDefault(name));

    public async Task<Feed> RegisterAsync(string name, FeedSettings settings, string actor)
    {
        if (state.State.Feeds.ContainsKey(name))
        {
            throw new CirtException(CirtErrorKind.AlreadyExists, $"Feed '{name}' is registered already.", "name");
        }

        var feed = await SaveAsync(null, FeedRules.Register(name, settings, clock.GetUtcNow(), actor));
        logger.LogWarning("Feed {Feed} registered by {Actor}: {Trust}, owner {Owner}, quota {Quota}/min",
            name, actor, feed.Settings.Trust, feed.Settings.OwnerStakeholderId, feed.Settings.QuotaPerMinute);
        return feed;
    }

    public async Task<Feed> UpdateAsync(string name, FeedSettings settings, long expectedVersion, string actor)
    {
        var current = Current(name);
        var feed = await SaveAsync(current, FeedRules.Update(current, settings, expectedVersion, clock.GetUtcNow(), actor));
        if (!ReferenceEquals(feed, current))
        {
            logger.LogWarning("Feed {Feed} updated by {Actor} (version {Version}): {Trust}, owner {Owner}, widened to {Widened}, quota {Quota}/min",
                name, actor, feed.Version, feed.Settings.Trust, feed.Settings.OwnerStakeholderId, feed.Settings.WidenedStakeholderIds, feed.Settings.QuotaPerMinute);
        }

        return feed;
    }

    public async Task<Feed> GrantAsync(string name, Principal key, string actor)
    {
        var current = Current(name);
        var feed = await SaveAsync(current, FeedRules.Grant(current, key, clock.GetUtcNow(), actor));
        if (!ReferenceEquals(feed, current))
        {
            logger.LogWarning("Feed {Feed} granted to key {KeyId} ({KeyName}) by {Actor}", name, key.KeyId, key.Actor, actor);
        }

        return feed;
    }

    public async Task<Feed> RevokeAsync(string name, string keyId, string actor)
    {
        var current = Current(name);
        var feed = await SaveAsync(current, FeedRules.Revoke(current, keyId, clock.GetUtcNow(), actor));
        logger.LogWarning("Feed {Feed}: grant of key {KeyId} revoked by {Actor}", name, keyId, actor);
        return feed;
    }

    public async Task<Feed> SuspendAsync(string name, string reason, string actor)
    {
        var current = Current(name);
        var feed = await SaveAsync(current, FeedRules.Suspend(current, reason, clock.GetUtcNow(), actor));
        if (!ReferenceEquals(feed, current))
        {
            logger.LogWarning("Feed {Feed} suspended by {Actor}: {Reason}", name, actor, feed.SuspendedReason);
        }

        return feed;
    }

    public async Task<Feed> ResumeAsync(string name, string actor)
    {
        var current = Current(name);
        var feed = await SaveAsync(current, FeedRules.Resume(current, clock.GetUtcNow(), actor));
        if (!ReferenceEquals(feed, current))
        {
            logger.LogWarning("Feed {Feed} resumed by {Actor}", name, actor);
        }

        return feed;
    }

    private Feed Current(string name) => state.State.Feeds.GetValueOrDefault(name) ?? throw CirtException.NotFound("Feed", name);

    /// <summary>Stores <paramref name="next"/> in place of <paramref name="previous"/> (nothing when they are the same).</summary>
    private async Task<Feed> SaveAsync(Feed? previous, Feed next)
    {
        if (ReferenceEquals(previous, next))
        {
            return next;
        }

        state.State.Feeds[next.Name] = next;
        await state.WriteOrUndoAsync(
            this,
            undo: () =>
            {
                if (previous is null)
                {
                    state.State.Feeds.Remove(next.Name);
                }
                else
                {
                    state.State.Feeds[next.Name] = previous;
                }
            },
            logNotStored: ex => logger.LogError(ex, "Feed {Feed}: the change could not be stored; nothing changed", next.Name),
            notStored: $"The change to feed '{next.Name}' could not be stored, so nothing changed. Try again shortly.");
        return next;
    }
}
