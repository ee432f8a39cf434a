namespace Cirt.Grains.Incidents;

/// <summary>The kind of a technical observable.</summary>
public enum ObservableType
{
    IpAddress = 1,
    IpPrefix = 2,
    Domain = 3,
    Url = 4,
    Email = 5,
    FileHash = 6,
    Asn = 7,
    Cve = 8,
}
