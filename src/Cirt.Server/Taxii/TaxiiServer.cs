using Cirt.Server.Http;

namespace Cirt.Server.Taxii;

/// <summary>How this instance presents itself over TAXII: its one API root and the words on it.</summary>
/// <param name="InstanceId">Cirt:Federation:InstanceId.</param>
/// <param name="Country">Cirt:Federation:Country.</param>
public sealed record TaxiiServer(string InstanceId, string Country)
{
    /// <summary>The discovery resource's path.</summary>
    public const string DiscoveryPath = "/taxii2/";

    /// <summary>The one API root's path.</summary>
    public const string ApiRootPath = "/taxii2/cirt/";

    /// <summary>
    /// The discovery URL partners configure in their TAXII client (GetLocalIdentity's taxii_url):
    /// under Cirt:Http:PublicUrl, or else where the HTTP endpoint listens; empty when it is turned off.
    /// </summary>
    public static string DiscoveryUrl(HttpEndpoint endpoint) => endpoint.Enabled ? endpoint.AdvertisedUrl.TrimEnd('/') + DiscoveryPath : "";
}
