namespace Cirt.Grains.Partners;

public enum PartnerStatus
{
    Active = 1,

    /// <summary>Nothing is delivered to it (its messages wait) and its deliveries are refused.</summary>
    Suspended = 2,
}
