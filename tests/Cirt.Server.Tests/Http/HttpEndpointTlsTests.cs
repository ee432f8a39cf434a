using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cirt.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Cirt.Server.Tests.Http;

/// <summary>The HTTP endpoint over TLS, with its certificate given as Kestrel's endpoint CirtHttp, beside plain gRPC on loopback.</summary>
public sealed class HttpEndpointTlsTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cirt-http-tls-" + Guid.NewGuid().ToString("N"));
    private X509Certificate2? _certificate;
    private WebApplication? _app;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=cirt.test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var pfx = Path.Combine(_directory, "cirt.pfx");
        await File.WriteAllBytesAsync(pfx, _certificate.Export(X509ContentType.Pfx, "test-password"));

        _app = CirtServer.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Cirt:Http:Url", "https://127.0.0.1:0",
            "--Cirt:Metrics:Url", "",
            "--Kestrel:Endpoints:CirtHttp:Certificate:Path", pfx,
            "--Kestrel:Endpoints:CirtHttp:Certificate:Password", "test-password",
            "--Cirt:Storage", "Memory",
            "--Cirt:DataDirectory", Path.Combine(_directory, "data"),
            "--Cirt:SiloPort", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Cirt:GatewayPort", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _certificate?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task TaxiiAnswersOverTlsWithTheConfiguredCertificate()
    {
        var address = _app!.Services.GetRequiredService<HttpEndpoint>().Address;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == _certificate!.Thumbprint,
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(address) };

        using var response = await http.GetAsync("/taxii2/");

        Assert.StartsWith("https://127.0.0.1:", address, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(_app.Urls, url => url.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
    }
}
