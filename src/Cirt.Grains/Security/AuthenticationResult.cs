namespace Cirt.Grains.Security;

[GenerateSerializer, Immutable]
[Alias("cirt.AuthenticationResult")]
public sealed record AuthenticationResult(
    [property: Id(0)] AuthenticationOutcome Outcome,
    [property: Id(1)] Principal? Principal);
