namespace Cirt.Grains.Incidents;

/// <summary>Where an incident came from.</summary>
public static class IncidentOrigins
{
    public const string Report = "report";
    public const string Ingest = "ingest";

    /// <summary>A foreign incident: shared with us by a partner CIRT.</summary>
    public const string Partner = "partner";
}
