namespace Cirt.Grains.Incidents;

/// <summary>Order of the incident queue.</summary>
public enum IncidentOrder
{
    NewestFirst = 1,
    MostSevereFirst = 2,
}
