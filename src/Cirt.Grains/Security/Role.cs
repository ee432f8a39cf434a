namespace Cirt.Grains.Security;

/// <summary>What a principal may do.</summary>
public enum Role
{
    /// <summary>An organisation's system or staff: reports and follows its own incidents.</summary>
    Operator = 1,

    /// <summary>CIRT analyst: triages and works every incident.</summary>
    Analyst = 2,

    /// <summary>CIRT coordinator: an analyst who also administers stakeholders, sectors and keys.</summary>
    Coordinator = 3,

    /// <summary>A partner CIRT abroad: federation endpoints only.</summary>
    Partner = 4,
}
