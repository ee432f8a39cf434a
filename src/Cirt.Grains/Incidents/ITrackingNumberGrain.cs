namespace Cirt.Grains.Incidents;

/// <summary>Hands out incident sequence numbers for one year (key: the year, e.g. "2026").</summary>
public interface ITrackingNumberGrain : IGrainWithStringKey
{
    /// <summary>The next number, durable before it is returned: never handed out twice.</summary>
    Task<long> NextAsync();
}
