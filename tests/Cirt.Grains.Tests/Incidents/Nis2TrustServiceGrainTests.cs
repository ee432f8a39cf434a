using Cirt.Grains.Incidents;
using Cirt.Grains.Stakeholders;
using Cirt.Grains.Tests.Cluster;

namespace Cirt.Grains.Tests.Incidents;

/// <summary>NIS2 Art. 23(4)(b) through the grains: the stakeholder's attribute reaches the clock its report starts.</summary>
[Collection(CirtClusterCollection.Name)]
public sealed class Nis2TrustServiceGrainTests(CirtClusterFixture cluster)
{
    private static readonly DateTimeOffset AwareAt = new(2026, 1, 10, 6, 0, 0, TimeSpan.Zero);

    private async Task<string> StakeholderAsync(bool trustServiceProvider)
    {
        var id = "tsp-" + Guid.NewGuid().ToString("N")[..12];
        await cluster.Grains.GetGrain<IStakeholderGrain>(id).CreateAsync(
            new StakeholderProfile("Qualified Seals SA", StakeholderType.DigitalProvider, ["DIGITAL_INFRASTRUCTURE"], "LU",
                Nis2EntityClass.Essential, [], Constituency.Empty, TrustServiceProvider: trustServiceProvider),
            "coordinator:marie");
        return id;
    }

    private static Deadline Notification(Incident incident) => Assert.Single(incident.Deadlines, d => d.Kind == DeadlineKind.Nis2Notification);

    // NIS2 Art. 23(4)(b)
    [Fact]
    public async Task ATrustServiceProviderReportingItsTrustServicesAffectedNotifiesWithin24Hours()
    {
        var reporter = await StakeholderAsync(trustServiceProvider: true);

        var incident = await cluster.SubmitAsync(Reports.From(reporter, significant: true, awareAt: AwareAt) with { AffectsTrustServices = true });

        Assert.True(incident.AffectsTrustServices);
        Assert.Equal(AwareAt.AddHours(24), Notification(incident).DueAt);
        Assert.True((await cluster.Grains.GetGrain<IStakeholderGrain>(reporter).GetAsync())!.TrustServiceProvider);
    }

    // NIS2 Art. 23(4)(b) needs both: a registered trust service provider and its trust services affected.
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task OtherwiseTheNotificationIsDueWithin72Hours(bool trustServiceProvider, bool affectsTrustServices)
    {
        var reporter = await StakeholderAsync(trustServiceProvider);

        var incident = await cluster.SubmitAsync(Reports.From(reporter, significant: true, awareAt: AwareAt) with { AffectsTrustServices = affectsTrustServices });

        Assert.Equal(AwareAt.AddHours(72), Notification(incident).DueAt);
    }
}
