using Google.Protobuf.WellKnownTypes;
using Domain = Cirt.Grains.Incidents;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Api;

/// <summary>Conversions shared by all services. Proto and domain enums share their numbers.</summary>
public static class CommonMapping
{
    public static Timestamp ToProto(DateTimeOffset at) => Timestamp.FromDateTimeOffset(at);

    public static Timestamp? ToProto(DateTimeOffset? at) => at is { } value ? Timestamp.FromDateTimeOffset(value) : null;

    public static Proto.Tlp ToProto(Domain.Tlp tlp) => (Proto.Tlp)(int)tlp;

    public static Domain.Tlp ToDomain(Proto.Tlp tlp) => (Domain.Tlp)(int)tlp;

    public static Proto.Severity ToProto(Domain.Severity severity) => (Proto.Severity)(int)severity;

    public static Domain.Severity ToDomain(Proto.Severity severity) => (Domain.Severity)(int)severity;

    public static Proto.IncidentStatus ToProto(Domain.IncidentStatus status) => (Proto.IncidentStatus)(int)status;

    public static Domain.IncidentStatus ToDomain(Proto.IncidentStatus status) => (Domain.IncidentStatus)(int)status;

    /// <summary>
    /// Validates and canonicalises observables, recording a violation per bad entry under
    /// <paramref name="field"/>[i].
    /// </summary>
    public static Domain.Observable[] ToDomain(IReadOnlyList<Proto.Observable> observables, string field, Violations violations)
    {
        var result = new List<Domain.Observable>(observables.Count);
        for (var i = 0; i < observables.Count; i++)
        {
            var o = observables[i];
            var at = $"{field}[{i}]";
            if (o.Type == Proto.ObservableType.Unspecified || !System.Enum.IsDefined(o.Type))
            {
                violations.Add(at + ".type", "must be a known observable type");
                continue;
            }

            if (o.Value.Length > Grains.Common.Limits.ObservableValueLength)
            {
                violations.Add(at + ".value", $"is {o.Value.Length} characters long; the limit is {Grains.Common.Limits.ObservableValueLength}");
                continue;
            }

            violations.MaxLength(at + ".comment", o.Comment, Grains.Common.Limits.ObservableCommentLength);
            var type = (Domain.ObservableType)(int)o.Type;
            var (value, error) = Domain.ObservableRules.Normalise(type, o.Value);
            if (error is not null)
            {
                violations.Add(at + ".value", error);
                continue;
            }

            result.Add(new Domain.Observable(type, value!, o.Comment));
        }

        return result.ToArray();
    }

    public static Proto.Observable ToProto(Domain.Observable o) =>
        new() { Type = (Proto.ObservableType)(int)o.Type, Value = o.Value, Comment = o.Comment };
}
