using Cirt.Grains.Common;
using Cirt.Grains.Security;
using Cirt.Grains.Stakeholders;

namespace Cirt.Grains.Ingest.Feeds;

/// <summary>
/// What may happen to a registered feed, as plain functions: each takes the feed as it is and
/// returns it as it becomes (the same instance when nothing changes), or refuses with a
/// <see cref="CirtException"/> naming the field or the rule. The gRPC layer asks the same
/// <c>*Problems</c> functions to report every bad field of a request at once.
/// </summary>
public static class FeedRules
{
    public const int MaxName = 100;
    public const int MaxDescription = 2_000;
    public const int MaxReason = 2_000;
    public const int MaxWidened = 100;
    public const int MaxGrants = 1_000;

    /// <summary>The highest quota one can set: above it, "unlimited" (0) says the same thing honestly.</summary>
    public const int MaxQuotaPerMinute = 100_000_000;

    /// <summary>A feed name as events carry it: 1 to 100 characters, no control characters.</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= MaxName && !name.Any(char.IsControl) && name.Trim().Length == name.Length;

    /// <summary>A new feed, active, granted to no key yet.</summary>
    public static Feed Register(string name, FeedSettings settings, DateTimeOffset now, string actor)
    {
        Ensure(NameProblems(name, "name").Concat(SettingsProblems(settings, "settings")));
        return new Feed
        {
            Name = name,
            Settings = Normalise(settings),
            Version = 1,
            RegisteredAt = now,
            RegisteredBy = actor,
            UpdatedAt = now,
            UpdatedBy = actor,
        };
    }

    /// <summary>The feed's settings replaced; an ORGANISATION feed keeps only grants its new owner's keys may hold.</summary>
    public static Feed Update(Feed current, FeedSettings settings, long expectedVersion, DateTimeOffset now, string actor)
    {
        Versioning.Check("Feed", current.Name, expectedVersion, current.Version);
        Ensure(SettingsProblems(settings, "settings"));
        var next = Normalise(settings);
        if (next.Trust == FeedTrust.Organisation)
        {
            var foreign = current.Grants.Where(g => g.StakeholderId.Length > 0 && g.StakeholderId != next.OwnerStakeholderId).ToArray();
            if (foreign.Length > 0)
            {
                throw new CirtException(CirtErrorKind.FailedPrecondition,
                    $"Feed '{current.Name}' would be an ORGANISATION feed of {next.OwnerStakeholderId}, but it is granted to keys of others: "
                    + $"{string.Join(", ", foreign.Select(g => $"{g.KeyId} ({g.KeyName})"))}. Revoke those grants first.",
                    "settings.owner_stakeholder_id");
            }
        }

        return SameSettings(current.Settings, next) ? current : Next(current, now, actor) with { Settings = next };
    }

    /// <summary>
    /// Lets the key publish the feed. An ORGANISATION feed may go to its owner's operators and to
    /// CIRT staff only; partner keys publish no events. A key holding the grant already changes nothing.
    /// </summary>
    public static Feed Grant(Feed current, Principal key, DateTimeOffset now, string actor)
    {
        if (current.Grants.Any(g => g.KeyId == key.KeyId))
        {
            return current;
        }

        if (key.Role == Role.Partner)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Key {key.KeyId} belongs to partner CIRT {key.PartnerId}: partner keys publish no events.", "key_id");
        }

        if (current.Settings.Trust == FeedTrust.Organisation && key.Role == Role.Operator && key.StakeholderId != current.Settings.OwnerStakeholderId)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Feed '{current.Name}' is an ORGANISATION feed of {current.Settings.OwnerStakeholderId}: it may be granted to that organisation's "
                + $"keys or to CIRT staff keys, not to {key.Actor} of {key.StakeholderId}.", "key_id");
        }

        if (current.Grants.Length >= MaxGrants)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Feed '{current.Name}' is granted to {MaxGrants} keys already: revoke some grants first.", "key_id");
        }

        return Next(current, now, actor) with { Grants = [.. current.Grants, new FeedGrant(key.KeyId, key.Actor, key.Role == Role.Operator ? key.StakeholderId : "", now, actor)] };
    }

    /// <summary>Takes the key's grant back; NOT_FOUND when it holds none.</summary>
    public static Feed Revoke(Feed current, string keyId, DateTimeOffset now, string actor)
    {
        if (!current.Grants.Any(g => g.KeyId == keyId))
        {
            throw new CirtException(CirtErrorKind.NotFound, $"Key {Echo.Of(keyId)} holds no grant of feed '{current.Name}'.", "key_id");
        }

        return Next(current, now, actor) with { Grants = current.Grants.Where(g => g.KeyId != keyId).ToArray() };
    }

    /// <summary>Suspends the feed; a suspended feed stays suspended (its first reason is kept).</summary>
    public static Feed Suspend(Feed current, string reason, DateTimeOffset now, string actor)
    {
        Ensure(ReasonProblems(reason, "reason"));
        return current.Suspended
            ? current
            : Next(current, now, actor) with { Suspended = true, SuspendedReason = reason.Trim(), SuspendedAt = now, SuspendedBy = actor };
    }

    /// <summary>Lets a suspended feed publish again; an active feed stays as it is.</summary>
    public static Feed Resume(Feed current, DateTimeOffset now, string actor) =>
        !current.Suspended
            ? current
            : Next(current, now, actor) with { Suspended = false, SuspendedReason = "", SuspendedAt = null, SuspendedBy = "" };

    public static IEnumerable<(string Field, string Problem)> NameProblems(string name, string field)
    {
        if (!IsValidName(name))
        {
            yield return (field, $"'{Echo.Of(name)}' is not a feed name (1 to {MaxName} characters as events carry it, no control characters or surrounding spaces)");
        }
    }

    /// <summary>Every problem with a feed's settings, by request field under <paramref name="prefix"/>.</summary>
    public static IEnumerable<(string Field, string Problem)> SettingsProblems(FeedSettings settings, string prefix)
    {
        if (settings.Trust is not (FeedTrust.National or FeedTrust.Organisation))
        {
            yield return ($"{prefix}.trust", settings.Trust == FeedTrust.Unspecified ? "is required: NATIONAL or ORGANISATION" : $"{(int)settings.Trust} is not a valid FeedTrust");
        }

        if (settings.OwnerStakeholderId.Length == 0)
        {
            if (settings.Trust == FeedTrust.Organisation)
            {
                yield return ($"{prefix}.owner_stakeholder_id", "is required for an ORGANISATION feed: the organisation whose sensor it is");
            }
        }
        else if (!StakeholderRules.IsValidId(settings.OwnerStakeholderId))
        {
            yield return ($"{prefix}.owner_stakeholder_id", $"'{Echo.Of(settings.OwnerStakeholderId)}' is not a stakeholder id (2 to 64 lowercase letters, digits or '-')");
        }

        if (settings.WidenedStakeholderIds.Length > 0 && settings.Trust == FeedTrust.National)
        {
            yield return ($"{prefix}.widened_stakeholder_ids", "is only for ORGANISATION feeds: a NATIONAL feed may report about anyone already");
        }

        if (settings.WidenedStakeholderIds.Length > MaxWidened)
        {
            yield return ($"{prefix}.widened_stakeholder_ids", $"has {settings.WidenedStakeholderIds.Length} entries; the limit is {MaxWidened}");
        }
        else
        {
            for (var i = 0; i < settings.WidenedStakeholderIds.Length; i++)
            {
                var id = settings.WidenedStakeholderIds[i];
                if (!StakeholderRules.IsValidId(id))
                {
                    yield return ($"{prefix}.widened_stakeholder_ids[{i}]", $"'{Echo.Of(id)}' is not a stakeholder id (2 to 64 lowercase letters, digits or '-')");
                }
                else if (id == settings.OwnerStakeholderId)
                {
                    yield return ($"{prefix}.widened_stakeholder_ids[{i}]", $"'{id}' owns the feed already");
                }
            }
        }

        if (settings.Description.Length > MaxDescription)
        {
            yield return ($"{prefix}.description", $"is {settings.Description.Length} characters long; the limit is {MaxDescription}");
        }

        if (settings.QuotaPerMinute is < 0 or > MaxQuotaPerMinute)
        {
            yield return ($"{prefix}.quota_per_minute", $"must be 0 (no limit) to {MaxQuotaPerMinute} events per minute");
        }

        if (!Enum.IsDefined(settings.Severity))
        {
            yield return ($"{prefix}.severity", $"{(int)settings.Severity} is not a valid Severity");
        }
    }

    public static IEnumerable<(string Field, string Problem)> ReasonProblems(string reason, string field)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            yield return (field, "is required: say why the feed stops");
        }
        else if (reason.Length > MaxReason)
        {
            yield return (field, $"is {reason.Length} characters long; the limit is {MaxReason}");
        }
    }

    private static FeedSettings Normalise(FeedSettings settings) => settings with
    {
        WidenedStakeholderIds = settings.WidenedStakeholderIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
        Description = settings.Description.Trim(),
    };

    private static bool SameSettings(FeedSettings a, FeedSettings b) =>
        a.OwnerStakeholderId == b.OwnerStakeholderId && a.Trust == b.Trust && a.Description == b.Description
        && a.QuotaPerMinute == b.QuotaPerMinute && a.Severity == b.Severity && a.WidenedStakeholderIds.SequenceEqual(b.WidenedStakeholderIds, StringComparer.Ordinal);

    private static Feed Next(Feed current, DateTimeOffset now, string actor) =>
        current with { Version = current.Version + 1, UpdatedAt = now, UpdatedBy = actor };

    private static void Ensure(IEnumerable<(string Field, string Problem)> problems)
    {
        foreach (var (field, problem) in problems)
        {
            throw new CirtException(CirtErrorKind.InvalidArgument, $"{field}: {problem}", field);
        }
    }
}
