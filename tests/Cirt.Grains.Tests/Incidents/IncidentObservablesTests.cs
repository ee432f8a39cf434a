using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using static Cirt.Grains.Tests.Incidents.TestIncidents;

namespace Cirt.Grains.Tests.Incidents;

public sealed class IncidentObservablesTests
{
    private static readonly DateTimeOffset Later = TriagedAt.AddHours(3);
    private static readonly Observable C2 = new(ObservableType.IpAddress, "192.0.2.66", "C2 seen in firewall logs");
    private static readonly Observable Domain = new(ObservableType.Domain, "evil.example", "");

    [Fact]
    public void OnlyObservablesNotAlreadyThereAreAddedWhateverTheirComment()
    {
        var first = IncidentObservables.Add(Reported(), [C2, Domain], "ana", Later).Incident;

        var result = IncidentObservables.Add(first, [C2 with { Comment = "seen again" }, new Observable(ObservableType.IpAddress, "192.0.2.67", "")], "ben", Later);

        Assert.Equal(1, result.AddedCount);
        Assert.Equal(["192.0.2.66", "evil.example", "192.0.2.67"], result.Incident.Observables.Select(o => o.Value));
        Assert.Equal("C2 seen in firewall logs", result.Incident.Observables[0].Comment);
        Assert.Equal(("observables-added", "Added 1 observable(s): ip-address 192.0.2.67"), (result.Incident.Timeline[^1].Kind, result.Incident.Timeline[^1].Summary));
    }

    [Fact]
    public void TheSameValueAsAnotherTypeIsAnotherObservable()
    {
        var result = IncidentObservables.Add(Reported(), [Domain, Domain with { Type = ObservableType.Url }], "ana", Later);

        Assert.Equal(2, result.AddedCount);
    }

    [Fact]
    public void AddingOnlyKnownObservablesChangesNothing()
    {
        var incident = IncidentObservables.Add(Reported(), [C2], "ana", Later).Incident;

        var again = IncidentObservables.Add(incident, [C2, C2], "ana", Later);

        Assert.Equal(0, again.AddedCount);
        Assert.Same(incident, again.Incident);
    }

    [Fact]
    public void TheTimelineNamesTheFirstFiveAndCountsTheRest()
    {
        var many = Enumerable.Range(1, 7).Select(n => new Observable(ObservableType.IpAddress, $"198.51.100.{n}", "")).ToArray();

        var result = IncidentObservables.Add(Reported() with { Observables = [] }, many, "ana", Later);

        Assert.EndsWith("ip-address 198.51.100.5 and 2 more", result.Incident.Timeline[^1].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIncidentHoldsAtMostTheObservableLimitAndNothingIsAddedBeyondIt()
    {
        var full = Reported() with
        {
            Observables = Enumerable.Range(0, Limits.ObservablesPerIncident).Select(n => new Observable(ObservableType.Asn, $"AS{n + 1}", "")).ToArray(),
        };

        var refused = Assert.Throws<CirtException>(() => IncidentObservables.Add(full, [C2], "ana", Later));

        Assert.Equal((CirtErrorKind.FailedPrecondition, "observables"), (refused.Kind, refused.Field));
    }
}
