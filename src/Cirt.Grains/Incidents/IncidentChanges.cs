namespace Cirt.Grains.Incidents;

/// <summary>
/// What the read model holds after a change number: the incidents written since, oldest change
/// first, each with its deadlines and tasks.
/// </summary>
/// <param name="Incidents">The incidents, at most as many as asked for.</param>
/// <param name="Through">The change number to go on from next time.</param>
/// <param name="More">Whether more changes wait after <paramref name="Through"/>.</param>
public sealed record IncidentChanges(IReadOnlyList<IncidentSummary> Incidents, long Through, bool More);
