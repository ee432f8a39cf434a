using System.Net;
using Cirt.Server.Hosting;
using Orleans.Configuration;

namespace Cirt.Server.Extensions;

/// <summary>The cluster profile in Kubernetes (Cirt:Cluster:Kubernetes=true): see deploy/kubernetes/.</summary>
public static class KubernetesExtensions
{
    /// <summary>
    /// When Cirt:Cluster:Kubernetes is true: Orleans' Kubernetes hosting (the silo is named after
    /// its pod, and silos watch the cluster's pods, so a deleted pod's silo is declared dead at
    /// once instead of after missed probes), and the silo advertises the pod's IP and listens on
    /// every interface of the pod. Otherwise nothing. Refuses to start when the pod's variables are
    /// missing (<see cref="KubernetesPod.From"/>).
    /// </summary>
    public static ISiloBuilder AddCirtKubernetesHosting(this ISiloBuilder silo)
    {
        if (!KubernetesPod.IsEnabled(silo.Configuration))
        {
            return silo;
        }

        var pod = KubernetesPod.From(silo.Configuration);
        silo.UseKubernetesHosting();
        // Orleans sets the pod's address only when nothing else did; the cluster profile may have
        // chosen one for silos on a single machine, and in a pod only the pod's address reaches it.
        silo.Services.PostConfigure<EndpointOptions>(endpoints =>
        {
            endpoints.AdvertisedIPAddress = pod.Address;
            endpoints.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, endpoints.SiloPort);
            endpoints.GatewayListeningEndpoint = endpoints.GatewayPort > 0 ? new IPEndPoint(IPAddress.Any, endpoints.GatewayPort) : null;
        });
        return silo;
    }
}
