using System.Net;
using Cirt.Server.Extensions;
using Cirt.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Hosting.Kubernetes;

namespace Cirt.Server.Tests.Hosting;

/// <summary>
/// Cirt:Cluster:Kubernetes=true: the silo takes its name and address from the pod (the downward
/// API's POD_NAME, POD_NAMESPACE, POD_IP) through Orleans' Kubernetes hosting; without the setting
/// nothing changes. The host is built, not started: no Kubernetes API is reachable here.
/// </summary>
public sealed class KubernetesHostingTests
{
    private static readonly Dictionary<string, string?> Pod = new()
    {
        [KubernetesPod.EnabledKey] = "true",
        [KubernetesPod.NameVariable] = "cirt-6d9f7c-x2k4p",
        [KubernetesPod.NamespaceVariable] = "cirt",
        [KubernetesPod.AddressVariable] = "10.42.0.17",
    };

    [Fact]
    public void InAPodTheSiloAdvertisesThePodAddressAndListensOnEveryInterface()
    {
        using var host = BuildSilo(Pod);

        var endpoints = host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(IPAddress.Parse("10.42.0.17"), endpoints.AdvertisedIPAddress);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 21111), endpoints.SiloListeningEndpoint);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 23000), endpoints.GatewayListeningEndpoint);
        // Orleans' own Kubernetes hosting is in: it configures its options from the pod.
        Assert.NotEmpty(host.Services.GetServices<IConfigureOptions<KubernetesHostingOptions>>());
    }

    [Fact]
    public void OutsideKubernetesTheSiloKeepsItsLoopbackAddress()
    {
        using var host = BuildSilo(new Dictionary<string, string?> { [KubernetesPod.EnabledKey] = "false" });

        var endpoints = host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(IPAddress.Loopback, endpoints.AdvertisedIPAddress);
        Assert.Empty(host.Services.GetServices<IConfigureOptions<KubernetesHostingOptions>>());
    }

    [Fact]
    public void KubernetesWithoutThePodVariablesRefusesToStartNamingEach()
    {
        var refused = Assert.Throws<StartupRefusedException>(() => BuildSilo(new Dictionary<string, string?> { [KubernetesPod.EnabledKey] = "true" }));

        Assert.Equal(3, refused.Problems.Count);
        Assert.Contains(refused.Problems, p => p.Contains("POD_NAME", StringComparison.Ordinal) && p.Contains("metadata.name", StringComparison.Ordinal));
        Assert.Contains(refused.Problems, p => p.Contains("POD_NAMESPACE", StringComparison.Ordinal) && p.Contains("metadata.namespace", StringComparison.Ordinal));
        Assert.Contains(refused.Problems, p => p.Contains("POD_IP", StringComparison.Ordinal) && p.Contains("status.podIP", StringComparison.Ordinal));
    }

    [Fact]
    public void APodAddressThatIsNotAnAddressIsRefused()
    {
        var refused = Assert.Throws<StartupRefusedException>(() => BuildSilo(new Dictionary<string, string?>(Pod) { [KubernetesPod.AddressVariable] = "cirt-0.cirt" }));

        Assert.Equal("POD_IP must be the pod's IP address (it is 'cirt-0.cirt').", Assert.Single(refused.Problems));
    }

    [Fact]
    public void AKubernetesSettingThatIsNotABooleanIsRefused()
    {
        var refused = Assert.Throws<StartupRefusedException>(() => BuildSilo(new Dictionary<string, string?> { [KubernetesPod.EnabledKey] = "yes" }));

        Assert.Equal("Cirt:Cluster:Kubernetes must be true or false (it is 'yes').", Assert.Single(refused.Problems));
    }

    /// <summary>A silo host with loopback endpoints, as a cluster profile on one machine sets them, then Kubernetes hosting as configured.</summary>
    private static IHost BuildSilo(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(21111, 23000);
            silo.AddCirtKubernetesHosting();
        });
        return builder.Build();
    }
}
