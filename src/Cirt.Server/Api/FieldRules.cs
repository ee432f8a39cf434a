using System.Text.RegularExpressions;
using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Stakeholders;
using Google.Protobuf.WellKnownTypes;

namespace Cirt.Server.Api;

/// <summary>Shape checks for ids and codes that appear in many requests.</summary>
public static partial class FieldRules
{
    /// <summary>Allowed clock skew for client-supplied times that must not be in the future.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public static void StakeholderId(Violations v, string field, string value, bool required = true)
    {
        if (value.Length == 0)
        {
            if (required)
            {
                v.Add(field, "is required");
            }

            return;
        }

        if (!StakeholderRules.IsValidId(value))
        {
            v.Add(field, $"'{Shorten(value)}' is not a stakeholder id (2 to 64 lowercase letters, digits or '-')");
        }
    }

    /// <summary>At most <paramref name="max"/> stakeholder ids, each checked as <c>field[i]</c> (those within the limit).</summary>
    public static void StakeholderIds(Violations v, string field, IList<string> values, int max)
    {
        v.MaxCount(field, values, max);
        for (var i = 0; i < Math.Min(values.Count, max); i++)
        {
            StakeholderId(v, $"{field}[{i}]", values[i]);
        }
    }

    /// <summary>At most <paramref name="max"/> sector codes, each checked as <c>field[i]</c> (those within the limit).</summary>
    public static void SectorCodes(Violations v, string field, IList<string> values, int max)
    {
        v.MaxCount(field, values, max);
        for (var i = 0; i < Math.Min(values.Count, max); i++)
        {
            SectorCode(v, $"{field}[{i}]", values[i]);
        }
    }

    public static void SectorCode(Violations v, string field, string value)
    {
        if (!SectorCodePattern().IsMatch(value))
        {
            v.Add(field, $"'{Shorten(value)}' is not a sector code (2 to 64 uppercase letters, digits or '_', e.g. ENERGY)");
        }
    }

    public static void TrackingId(Violations v, string field, string value)
    {
        if (value.Length == 0)
        {
            v.Add(field, "is required");
        }
        else if (!TrackingIds.IsValid(value))
        {
            v.Add(field, $"'{Shorten(value)}' is not a tracking id (e.g. CIRT-2026-000042)");
        }
    }

    /// <summary>A person's user name (assignee): empty allowed when not required.</summary>
    public static void UserName(Violations v, string field, string value, bool required)
    {
        if (value.Length == 0)
        {
            if (required)
            {
                v.Add(field, "is required");
            }

            return;
        }

        if (!UserNamePattern().IsMatch(value))
        {
            v.Add(field, $"'{Shorten(value)}' is not a user name (1 to 64 letters, digits or . _ @ -)");
        }
    }

    public static void RequestId(Violations v, string field, string value)
    {
        if (value.Length == 0)
        {
            v.Add(field, "is required (a client-chosen unique id, e.g. a UUID, that makes retries safe)");
        }
        else if (!RequestIdPattern().IsMatch(value))
        {
            v.Add(field, "must be 1 to 64 letters, digits or . _ : - characters");
        }
    }

    /// <summary>Converts a timestamp, recording a violation when it is out of range. Null when absent or invalid.</summary>
    public static DateTimeOffset? Time(Violations v, string field, Timestamp? value)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            return value.ToDateTimeOffset();
        }
        catch (InvalidOperationException)
        {
            v.Add(field, "is not a valid timestamp");
            return null;
        }
    }

    /// <summary>Converts a timestamp, recording a violation when it is out of range or already past.</summary>
    public static DateTimeOffset? FutureTime(Violations v, string field, Timestamp? value, DateTimeOffset now)
    {
        if (Time(v, field, value) is not { } at)
        {
            return null;
        }

        if (at < now - ClockSkew)
        {
            v.Add(field, "must not be in the past");
            return null;
        }

        return at;
    }

    /// <summary>Converts a timestamp, recording a violation when it is out of range or in the future.</summary>
    public static DateTimeOffset? PastTime(Violations v, string field, Timestamp? value, DateTimeOffset now)
    {
        if (Time(v, field, value) is not { } at)
        {
            return null;
        }

        if (at > now + ClockSkew)
        {
            v.Add(field, "must not be in the future");
            return null;
        }

        return at;
    }

    public static void Email(Violations v, string field, string value)
    {
        if (value.Length > 0 && ObservableRules.Normalise(ObservableType.Email, value).Error is { } error)
        {
            v.Add(field, error);
        }
    }

    public static string Shorten(string value) => Echo.Of(value);

    [GeneratedRegex("^[A-Z][A-Z0-9_]{1,63}\\z")]
    private static partial Regex SectorCodePattern();

    [GeneratedRegex("^[A-Za-z0-9._@-]{1,64}\\z")]
    private static partial Regex UserNamePattern();

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}\\z")]
    private static partial Regex RequestIdPattern();
}
