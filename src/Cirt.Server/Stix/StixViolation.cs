namespace Cirt.Server.Stix;

/// <summary>
/// One broken rule in a bundle: the object (its id, or its place in "objects" when it has no usable
/// id; "bundle" for the bundle itself) and the rule, in words a producer can act on.
/// </summary>
public sealed record StixViolation(string Object, string Rule)
{
    public override string ToString() => $"{Object}: {Rule}";
}
