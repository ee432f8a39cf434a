using Cirt.Grains.Common;

namespace Cirt.Grains.Incidents;

/// <summary>
/// The observables of an incident: each (type, value) once, whoever adds it again and with whatever
/// comment, up to <see cref="Limits.ObservablesPerIncident"/>.
/// </summary>
public static class IncidentObservables
{
    /// <summary><paramref name="existing"/> followed by those of <paramref name="incoming"/> not already there, and those added.</summary>
    public static (Observable[] All, Observable[] Added) Merge(Observable[] existing, Observable[] incoming)
    {
        var seen = existing.Select(o => (o.Type, o.Value)).ToHashSet();
        var added = incoming.Where(o => seen.Add((o.Type, o.Value))).ToArray();
        return ([.. existing, .. added], added);
    }

    /// <summary>The incident with the new observables among <paramref name="observables"/>, and how many were new.</summary>
    public static ObservablesAdded Add(Incident current, Observable[] observables, string actor, DateTimeOffset now)
    {
        var (all, added) = Merge(current.Observables, observables);
        if (added.Length == 0)
        {
            return new ObservablesAdded(current, 0);
        }

        if (all.Length > Limits.ObservablesPerIncident)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"An incident holds at most {Limits.ObservablesPerIncident} observables; this one has {current.Observables.Length} and {added.Length} would be added.",
                "observables");
        }

        var listed = string.Join(", ", added.Take(5).Select(o => $"{Words.Of(o.Type)} {o.Value}")) + (added.Length > 5 ? $" and {added.Length - 5} more" : "");
        var next = IncidentTimeline.Append(current with { Observables = all }, now, actor, "observables-added", $"Added {added.Length} observable(s): {listed}");
        return new ObservablesAdded(next, added.Length);
    }
}
