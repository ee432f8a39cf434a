using Cirt.Grains.Incidents;

namespace Cirt.Server.Stix;

/// <summary>
/// What a STIX pattern says in our terms: the observables it matches, or why it says more than a
/// list of equalities we can carry (<see cref="Unsupported"/>, with no observables then).
/// </summary>
public sealed record StixPatternReading(IReadOnlyList<Observable> Observables, string? Unsupported);
