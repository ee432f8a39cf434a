using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Grains.Ingest;
using Cirt.Grains.Ingest.Feeds;
using Cirt.Grains.Security;

namespace Cirt.Grains.Tests.Ingest.Feeds;

/// <summary>The feed registry's rules and the ingest path's view of them, without a server.</summary>
public sealed class FeedRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 10, 0, 30, TimeSpan.Zero);
    private static readonly Principal GridcoSensor = new("a1a1a1a1a1a1a1a1", "ids", Role.Operator, "gridco", "");
    private static readonly Principal FirstbankSoc = new("b2b2b2b2b2b2b2b2", "soc", Role.Operator, "firstbank", "");
    private static readonly Principal Analyst = new("c3c3c3c3c3c3c3c3", "alice", Role.Analyst, "", "");

    private static Feed Organisation(params string[] widened) =>
        FeedRules.Register("gridco-ids", new FeedSettings("gridco", FeedTrust.Organisation, widened, "IDS", 0), Now, "carol");

    [Fact]
    public void AnOrganisationFeedIsGrantedToItsOwnersKeysAndToStaffOnly()
    {
        var granted = FeedRules.Grant(FeedRules.Grant(Organisation(), GridcoSensor, Now, "carol"), Analyst, Now, "carol");

        Assert.Equal(["ids@gridco", "alice"], granted.Grants.Select(g => g.KeyName));
        Assert.Same(granted, FeedRules.Grant(granted, GridcoSensor, Now, "carol"));
        var refused = Assert.Throws<CirtException>(() => FeedRules.Grant(granted, FirstbankSoc, Now, "carol"));
        Assert.Equal((CirtErrorKind.FailedPrecondition, "key_id"), (refused.Kind, refused.Field));
    }

    [Fact]
    public void AnOrganisationFeedCannotChangeHandsWhileAnotherOrganisationsKeyHoldsIt()
    {
        var national = FeedRules.Grant(FeedRules.Register("sinkhole", new FeedSettings("", FeedTrust.National, [], "", 0), Now, "carol"), FirstbankSoc, Now, "carol");

        var refused = Assert.Throws<CirtException>(() => FeedRules.Update(national, new FeedSettings("gridco", FeedTrust.Organisation, [], "", 0), 0, Now, "carol"));

        Assert.Equal(CirtErrorKind.FailedPrecondition, refused.Kind);
        Assert.Contains("soc@firstbank", refused.Message, StringComparison.Ordinal);
        Assert.Equal(CirtErrorKind.Conflict, Assert.Throws<CirtException>(() => FeedRules.Update(national, national.Settings, 7, Now, "carol")).Kind);
    }

    [Fact]
    public void SettingsAreCheckedFieldByField()
    {
        var problems = FeedRules.SettingsProblems(
                new FeedSettings("Not An Id", FeedTrust.Unspecified, ["gridco", "x"], new string('d', 2_001), -1) { Severity = (Severity)9 }, "settings")
            .Select(p => p.Field).ToArray();

        Assert.Equal(["settings.trust", "settings.owner_stakeholder_id", "settings.widened_stakeholder_ids[1]", "settings.description", "settings.quota_per_minute", "settings.severity"], problems);
        Assert.False(FeedRules.IsValidName(" padded"));
        Assert.False(FeedRules.IsValidName("tab\there"));
        Assert.True(FeedRules.IsValidName("honeypot-eu-1"));
    }

    [Fact]
    public void PermitsRefuseUnknownUngrantedAndSuspendedFeedsAndBoundOrganisationFeeds()
    {
        var widened = FeedRules.Grant(Organisation("firstbank"), GridcoSensor, Now, "carol");
        var suspended = FeedRules.Suspend(FeedRules.Grant(FeedRules.Register("sinkhole", new FeedSettings("", FeedTrust.National, [], "", 0), Now, "carol"), Analyst, Now, "carol"), "false positives", Now, "carol");
        var permits = new FeedPermits([widened, suspended]);

        Assert.Null(permits.Permit("unknown", GridcoSensor.KeyId, out var unknown));
        Assert.Contains("not a registered feed", unknown, StringComparison.Ordinal);
        Assert.Null(permits.Permit("gridco-ids", Analyst.KeyId, out var ungranted));
        Assert.Contains("not granted to this key", ungranted, StringComparison.Ordinal);
        Assert.Null(permits.Permit("sinkhole", Analyst.KeyId, out var stopped));
        Assert.Contains("suspended: false positives", stopped, StringComparison.Ordinal);
        var permit = permits.Permit("gridco-ids", GridcoSensor.KeyId, out _)!;
        Assert.Null(permit.RefuseTarget("gridco"));
        Assert.Null(permit.RefuseTarget("firstbank"));
        Assert.Contains("constituency of city-hospital", permit.RefuseTarget("city-hospital"), StringComparison.Ordinal);
        Assert.Contains("no stakeholder's constituency", permit.RefuseTarget(null), StringComparison.Ordinal);
    }

    [Fact]
    public void AQuotaAdmitsItsEventsPerMinuteOverAllKeysTakesBackWhatWasNotStoredAndRefillsTheNextMinute()
    {
        var feed = FeedRules.Register("small", new FeedSettings("", FeedTrust.National, [], "", 2), Now, "carol");
        var permit = new FeedPermit(feed);
        var quotas = new FeedQuotas();

        Assert.Equal([true, true, false], Enumerable.Range(0, 3).Select(_ => quotas.TryTake(permit, Now)));
        // Events of a batch refused as a whole (nothing stored) give their share back.
        quotas.Return(permit, 1, Now);
        Assert.Equal([true, false], Enumerable.Range(0, 2).Select(_ => quotas.TryTake(permit, Now)));
        Assert.True(quotas.TryTake(permit, Now.AddSeconds(30)));
    }

    [Fact]
    public void SourcesBeyondTheLimitFoldIntoOneEntryAndNothingIsLost()
    {
        var many = Enumerable.Range(0, AutomatedSources.Limit + 10).Select(i => new AutomatedSource($"feed-{i:D3}", "p", i + 1)).ToArray();

        var merged = AutomatedSources.Merge([], many);
        var again = AutomatedSources.Merge(merged, [new AutomatedSource("feed-000", "p", 1)]);

        Assert.Equal(AutomatedSources.Limit, merged.Length);
        Assert.Equal(many.Sum(s => s.Events), merged.Sum(s => s.Events));
        Assert.Equal(AutomatedSources.Others, merged[^1].Feed);
        Assert.Equal(many.Sum(s => s.Events) + 1, again.Sum(s => s.Events));
        Assert.Single(again, s => s.Feed == AutomatedSources.Others);
    }

    [Fact]
    public void AFeedsSeverityIsPartOfItsSettingsAndOfItsPermit()
    {
        var national = FeedRules.Register("sinkhole", new FeedSettings("", FeedTrust.National, [], "", 0), Now, "carol");

        var severe = FeedRules.Update(national, national.Settings with { Severity = Severity.High }, national.Version, Now, "carol");

        Assert.Equal(national.Version + 1, severe.Version); // a change of severity alone is a change
        Assert.Equal(Severity.High, new FeedPermit(severe).Severity);
        Assert.Equal(Severity.Unspecified, new FeedPermit(national).Severity);
    }
}
