using Domain = Cirt.Grains;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Tests.Api;

/// <summary>
/// The services map enums between wire and domain by number; these pairs must therefore agree on
/// every value, name for name, or a status would silently change meaning on the way through.
/// </summary>
public sealed class EnumAlignmentTests
{
    public static TheoryData<Type, Type> Pairs => new()
    {
        { typeof(Proto.Tlp), typeof(Domain.Incidents.Tlp) },
        { typeof(Proto.Severity), typeof(Domain.Incidents.Severity) },
        { typeof(Proto.IncidentStatus), typeof(Domain.Incidents.IncidentStatus) },
        { typeof(Proto.ObservableType), typeof(Domain.Incidents.ObservableType) },
        { typeof(Proto.DeadlineKind), typeof(Domain.Incidents.DeadlineKind) },
        { typeof(Proto.DeadlineStatus), typeof(Domain.Incidents.DeadlineStatus) },
        { typeof(Proto.IncidentTaskStatus), typeof(Domain.Incidents.IncidentTaskStatus) },
        { typeof(Proto.StepAssignee), typeof(Domain.Playbooks.StepAssignee) },
        { typeof(Proto.AdvisoryStatus), typeof(Domain.Advisories.AdvisoryStatus) },
        { typeof(Proto.TriageOutcome), typeof(Domain.Incidents.TriageOutcome) },
        { typeof(Proto.IncidentOrder), typeof(Domain.Incidents.IncidentOrder) },
        { typeof(Proto.TimelineVisibility), typeof(Domain.Incidents.TimelineVisibility) },
        { typeof(Proto.Nis2EntityClass), typeof(Domain.Stakeholders.Nis2EntityClass) },
        { typeof(Proto.StakeholderType), typeof(Domain.Stakeholders.StakeholderType) },
        { typeof(Proto.Nis2Annex), typeof(Domain.Sectors.Nis2Annex) },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void WireAndDomainEnumsAgreeOnEveryNumber(Type wire, Type domain)
    {
        static IEnumerable<(int Number, string Name)> Values(Type type) =>
            Enum.GetValues(type).Cast<object>()
                .Select(v => (Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture), Normalise(v.ToString()!)))
                .Where(v => v.Item1 != 0);

        Assert.Equal(Values(wire).OrderBy(v => v.Number), Values(domain).OrderBy(v => v.Number));
    }

    // Proto names are stripped of their enum prefix (Nis2Annex.I); domain names are spelled out (AnnexI).
    private static string Normalise(string name) => name.ToUpperInvariant().Replace("ANNEX", "", StringComparison.Ordinal);
}
