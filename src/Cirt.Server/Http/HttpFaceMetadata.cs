namespace Cirt.Server.Http;

/// <summary>Endpoint metadata: served on the HTTP endpoint only (see <see cref="HttpEndpoint"/>).</summary>
public sealed class HttpFaceMetadata
{
    public static readonly HttpFaceMetadata Instance = new();

    private HttpFaceMetadata()
    {
    }
}
