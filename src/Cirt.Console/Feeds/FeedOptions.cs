using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console.Cli;

namespace Cirt.Console.Feeds;

/// <summary>What a coordinator sets on a feed: at register, and (each option alone) at update.</summary>
public class FeedOptions : FeedNameSettings
{
    [CommandOption("--trust <TRUST>")]
    [Description("national (may report about any organisation) or organisation (only about its owner and the stakeholders it is widened to)")]
    public string? Trust { get; init; }

    [CommandOption("--owner <STAKEHOLDER-ID>")]
    [Description("The organisation that runs the feed (required for an organisation feed)")]
    public string? Owner { get; init; }

    [CommandOption("--widen <STAKEHOLDER-ID>")]
    [Description("Another stakeholder an organisation feed may report about (repeatable)")]
    public string[] Widen { get; init; } = [];

    [CommandOption("--no-widening")]
    [Description("At update: the feed reports about its owner only again")]
    public bool NoWidening { get; init; }

    [CommandOption("--description <TEXT>")]
    [Description("What the feed reports")]
    public string? Description { get; init; }

    [CommandOption("--quota <EVENTS-PER-MINUTE>")]
    [Description("Events accepted per minute at most, over all its keys; 0 for no limit")]
    public int? Quota { get; init; }

    [CommandOption("--severity <SEVERITY>")]
    [Description("The severity its events carry when they name none: low, medium, high, critical, or unspecified (the RSIT table decides)")]
    public string? Severity { get; init; }

    /// <summary><paramref name="current"/> (empty at register) with the options given applied.</summary>
    public FeedSettings Apply(FeedSettings current)
    {
        var next = current.Clone();
        if (Trust is not null)
        {
            next.Trust = ParseTrust(Trust);
        }

        if (Owner is not null)
        {
            next.OwnerStakeholderId = Owner;
        }

        if (NoWidening && Widen.Length > 0)
        {
            throw new UsageException("Give --widen or --no-widening, not both.");
        }

        if (NoWidening || Widen.Length > 0)
        {
            next.WidenedStakeholderIds.Clear();
            next.WidenedStakeholderIds.AddRange(Widen);
        }

        if (Description is not null)
        {
            next.Description = Description;
        }

        if (Quota is { } quota)
        {
            next.QuotaPerMinute = quota;
        }

        if (Severity is not null)
        {
            next.Severity = Words.Severity(Severity);
        }

        return next;
    }

    private static FeedTrust ParseTrust(string trust) => trust.Trim().ToLowerInvariant() switch
    {
        "national" => FeedTrust.National,
        "organisation" or "organization" => FeedTrust.Organisation,
        _ => throw new UsageException($"--trust '{trust}': give national or organisation."),
    };
}
