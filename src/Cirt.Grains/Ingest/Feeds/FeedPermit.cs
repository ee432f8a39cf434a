namespace Cirt.Grains.Ingest.Feeds;

/// <summary>One feed as the ingest path checks it: who may publish it, about whom, how much, and whether it runs.</summary>
public sealed class FeedPermit
{
    private readonly HashSet<string> _keyIds;
    private readonly HashSet<string> _covered;

    public FeedPermit(Feed feed)
    {
        Name = feed.Name;
        Trust = feed.Settings.Trust;
        Owner = feed.Settings.OwnerStakeholderId;
        QuotaPerMinute = feed.Settings.QuotaPerMinute;
        Severity = feed.Settings.Severity;
        Suspended = feed.Suspended;
        SuspendedReason = feed.SuspendedReason;
        _keyIds = new HashSet<string>(feed.Grants.Select(g => g.KeyId), StringComparer.Ordinal);
        _covered = new HashSet<string>(feed.Settings.WidenedStakeholderIds.Append(Owner).Where(id => id.Length > 0), StringComparer.Ordinal);
    }

    public string Name { get; }

    public FeedTrust Trust { get; }

    public string Owner { get; }

    /// <summary>Events accepted per minute at most, over all keys; 0 for no limit.</summary>
    public int QuotaPerMinute { get; }

    public bool Suspended { get; }

    /// <summary>The severity its events carry when they name none (unspecified: the RSIT table decides).</summary>
    public Incidents.Severity Severity { get; }

    public string SuspendedReason { get; }

    /// <summary>Whether the feed's word is bounded by the stakeholders it covers (an ORGANISATION feed).</summary>
    public bool Bounded => Trust != FeedTrust.National;

    public bool IsGrantedTo(string keyId) => _keyIds.Contains(keyId);

    /// <summary>
    /// Why an event this feed routes to <paramref name="stakeholderId"/> (null: to no one) is refused,
    /// or null when the feed may report about it.
    /// </summary>
    public string? RefuseTarget(string? stakeholderId)
    {
        if (!Bounded || (stakeholderId is not null && _covered.Contains(stakeholderId)))
        {
            return null;
        }

        var covered = string.Join(", ", _covered.Order(StringComparer.Ordinal));
        return stakeholderId is null
            ? $"is in no stakeholder's constituency; feed '{Name}' is an ORGANISATION feed and may only report about {covered}"
            : $"is in the constituency of {stakeholderId}; feed '{Name}' is an ORGANISATION feed and may only report about {covered}";
    }
}
