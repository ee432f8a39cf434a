using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cirt.Contracts.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;

namespace Cirt.Server.Tests.Security;

/// <summary>With a certificate configured, Kestrel serves gRPC over TLS (HTTP/2 via ALPN), on any address.</summary>
public sealed class TlsTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cirt-tls-" + Guid.NewGuid().ToString("N"));
    private X509Certificate2? _certificate;
    private WebApplication? _app;
    private string _url = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=cirt.test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var pfx = Path.Combine(_directory, "cirt.pfx");
        await File.WriteAllBytesAsync(pfx, _certificate.Export(X509ContentType.Pfx, "test-password"));

        _app = CirtServer.Build(
        [
            "--Kestrel:Endpoints:Https:Url", "https://127.0.0.1:0",
            "--Kestrel:Endpoints:Https:Certificate:Path", pfx,
            "--Kestrel:Endpoints:Https:Certificate:Password", "test-password",
            "--Cirt:Http:Url", "http://127.0.0.1:0",
            "--Cirt:Metrics:Url", "",
            "--Cirt:Storage", "Memory",
            "--Cirt:DataDirectory", Path.Combine(_directory, "data"),
            "--Cirt:SiloPort", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Cirt:GatewayPort", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await _app.StartAsync();
        _url = _app.Urls.Single(url => url.StartsWith("https://", StringComparison.Ordinal));
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
    public async Task AKeyCanBeUsedOverTls()
    {
        var bootstrap = (await File.ReadAllTextAsync(Path.Combine(_directory, "data", "bootstrap-coordinator.key"))).Trim();
        using var handler = new HttpClientHandler
        {
            // Trust exactly the test certificate, as a client pinning the server's certificate would.
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == _certificate!.Thumbprint,
        };
        using var channel = GrpcChannel.ForAddress(_url, new GrpcChannelOptions { HttpHandler = handler });

        var me = await new KeyService.KeyServiceClient(channel).WhoAmIAsync(
            new WhoAmIRequest(), new Grpc.Core.Metadata { { "authorization", "Bearer " + bootstrap } });

        Assert.Equal("bootstrap", me.Key.Name);
        Assert.Equal(Role.Coordinator, me.Key.Role);
    }
}
