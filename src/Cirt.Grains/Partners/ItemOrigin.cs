namespace Cirt.Grains.Partners;

/// <summary>Where a received item comes from and where it has been.</summary>
/// <param name="InstanceId">The instance that wrote the item (the only one that may change or withdraw it).</param>
/// <param name="ItemId">The item's id at its origin.</param>
/// <param name="ItemVersion">The origin's version of the item last applied here: older ones are ignored.</param>
/// <param name="Route">The instances it passed through, origin first; the sender last.</param>
/// <param name="Reshared">A recipient passed it on.</param>
/// <param name="ReceivedFrom">The partner that delivered it to us.</param>
[GenerateSerializer, Immutable]
[Alias("cirt.ItemOrigin")]
public sealed record ItemOrigin(
    [property: Id(0)] string InstanceId,
    [property: Id(1)] string Country,
    [property: Id(2)] string ItemId,
    [property: Id(3)] long ItemVersion,
    [property: Id(4)] string[] Route,
    [property: Id(5)] bool Reshared,
    [property: Id(6)] string ReceivedFrom);
