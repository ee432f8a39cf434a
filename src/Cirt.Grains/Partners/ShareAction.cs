namespace Cirt.Grains.Partners;

/// <summary>What a message does to the item at the partner.</summary>
public enum ShareAction
{
    /// <summary>The item as it now stands: creates it or replaces the partner's copy.</summary>
    Publish = 1,

    /// <summary>Recalls the item.</summary>
    Withdraw = 2,

    /// <summary>A note on a shared incident.</summary>
    Note = 3,

    /// <summary>A status change of a shared incident.</summary>
    Status = 4,
}
