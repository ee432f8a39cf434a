using System.Net;
using System.Threading.RateLimiting;
using Cirt.Server.Http;
using Cirt.Server.Security;
using Cirt.Server.Telemetry;
using Microsoft.AspNetCore.Authentication;

namespace Cirt.Server.Extensions;

public static class SecurityExtensions
{
    /// <summary>API-key authentication, per-principal rate limits, stream limits, security metrics, the refusal log and the bootstrap key.</summary>
    public static WebApplicationBuilder AddCirtSecurity(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(SecurityOptions.Section);
        builder.Services.AddCheckedOptions<SecurityOptions>(section, o => o.Problems());
        // Checked, with the insecure endpoints, by StartupChecks before anything is built.
        var options = section.Get<SecurityOptions>() ?? new SecurityOptions();
        builder.Services.AddSingleton<SecurityMetrics>();
        builder.Services.AddSingleton<StreamLimiter>();
        builder.Services.AddSingleton<RefusalLog>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RefusalLog>());
        builder.Services.AddSingleton<StorageQuota>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, _ => { });
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.OnRejected = GrpcRateLimitRejection.OnRejected;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                RateLimitPartition.GetTokenBucketLimiter(GrpcRateLimitRejection.PartitionOf(http), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.Burst,
                    TokensPerPeriod = options.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        });
        builder.Services.AddHostedService<KeyBootstrapService>();
        return builder;
    }

    public static WebApplication UseCirtSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseMiddleware<MalformedMessageMiddleware>();
        return app;
    }

    /// <summary>Plain HTTP carries keys in clear: only on loopback, unless explicitly allowed (gRPC's URLs and the HTTP endpoint's alike).</summary>
    public static IEnumerable<string> InsecureEndpointProblems(IConfiguration configuration, SecurityOptions options)
    {
        if (options.AllowInsecureRemote)
        {
            return [];
        }

        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"] ?? ""));
        return urls.Select(url => InsecureRemoteProblem(url, "Configure a certificate (Kestrel:Endpoints:Https, see README)"))
            .Append(InsecureRemoteProblem(configuration[HttpEndpointOptions.Section + ":Url"] ?? HttpEndpointOptions.DefaultUrl,
                $"Use an https URL for {HttpEndpointOptions.Section}:Url with a certificate (Kestrel:Endpoints:{HttpEndpoint.KestrelName}:Certificate, see README)"))
            .Append(InsecureRemoteProblem(configuration[MetricsEndpointOptions.Section + ":Url"] ?? MetricsEndpointOptions.DefaultUrl,
                $"Use an https URL for {MetricsEndpointOptions.Section}:Url with a certificate (Kestrel:Endpoints:{MetricsEndpoint.KestrelName}:Certificate, see README)"))
            .OfType<string>()
            .ToArray();
    }

    private static string? InsecureRemoteProblem(string url, string remedy)
    {
        if (!url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var host = url["http://".Length..].Split('/')[0];
        host = host.StartsWith('[') ? host[1..Math.Max(1, host.IndexOf(']'))] : host.Split(':')[0];
        var loopback = host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                       || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
        return loopback
            ? null
            : $"Refusing to serve plain HTTP on {url}: API keys would cross the network in clear. {remedy} "
              + "or set Cirt:Security:AllowInsecureRemote=true for a closed test network.";
    }
}
