namespace Cirt.Grains.Incidents;

/// <summary>Where an incident came from.</summary>
public static class IncidentOrigins
{
    public const string Report = "report";
    public const string Ingest = "ingest";
}
