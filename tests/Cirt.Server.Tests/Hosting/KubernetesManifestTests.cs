using System.Globalization;
using Cirt.Server.Extensions;
using Cirt.Server.Hosting;
using Cirt.Server.Storage;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using Orleans.Hosting.Kubernetes;

namespace Cirt.Server.Tests.Hosting;

/// <summary>
/// deploy/kubernetes/, read the way the Kubernetes API would read it (the typed models of the
/// Kubernetes client, strict: an unknown or misspelt field fails), and checked against the server
/// it runs: the settings it hands over pass the server's own start-up checks, the pod labels are
/// the ones Orleans' Kubernetes hosting looks for, the probes ask the health services the server
/// has. No Kubernetes cluster is involved (there is none on this machine).
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly IReadOnlyList<object> Resources = LoadResources();

    [Fact]
    public void EveryManifestIsListedInTheKustomizationAndParsesAsItsKind()
    {
        var listed = KustomizationResources();
        var present = Directory.GetFiles(DeployFiles.Path("kubernetes"), "*.yaml")
            .Select(Path.GetFileName)
            .Where(name => name is not "kustomization.yaml" and not "secret.example.yaml");

        Assert.Equal(present.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.Equal(
            ["ConfigMap", "Deployment", "Namespace", "NetworkPolicy", "PodDisruptionBudget", "Role", "RoleBinding", "Service", "ServiceAccount"],
            Resources.Select(r => ((IKubernetesObject)r).Kind).Order(StringComparer.Ordinal));
        Assert.All(Resources.OfType<IMetadata<V1ObjectMeta>>().Where(r => r is not V1Namespace), r => Assert.Equal("cirt", r.Metadata.NamespaceProperty));
    }

    [Fact]
    public void TheSilosServiceAccountMayReadAndWatchPodsAndNothingMore()
    {
        var pod = Deployment().Spec.Template.Spec;
        var binding = Single<V1RoleBinding>();
        var role = Single<V1Role>();

        Assert.Equal(Single<V1ServiceAccount>().Metadata.Name, pod.ServiceAccountName);
        Assert.Equal(pod.ServiceAccountName, Assert.Single(binding.Subjects).Name);
        Assert.Equal(("Role", role.Metadata.Name), (binding.RoleRef.Kind, binding.RoleRef.Name));
        var rule = Assert.Single(role.Rules);
        Assert.Equal([""], rule.ApiGroups);
        Assert.Equal(["pods"], rule.Resources);
        Assert.Equal(["get", "list", "watch"], rule.Verbs.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheSettingsHandedToEachSiloPassTheServersStartupChecks()
    {
        var configuration = SiloConfiguration();

        Assert.Empty(StartupChecks.Problems(configuration));
        Assert.Equal(StorageProfile.Cluster, configuration.GetSection(CirtOptions.Section).Get<CirtOptions>()!.Storage);
        Assert.True(KubernetesPod.IsEnabled(configuration));
        Assert.Equal("10.42.0.17", KubernetesPod.From(configuration).Address.ToString());
        var connections = ClusterConnections.From(configuration);
        Assert.StartsWith("DefaultEndpointsProtocol=https;", connections.AzureStorage, StringComparison.Ordinal);
        Assert.StartsWith("Host=", connections.Postgres, StringComparison.Ordinal);
        Assert.NotNull(configuration["Cirt:Security:BootstrapKey"]);
    }

    [Fact]
    public void ClientsReachGrpcOverTlsAndPlainHttpStaysOnThePodsLoopback()
    {
        var configuration = SiloConfiguration();
        var urls = configuration["urls"]!.Split(';');

        Assert.Contains("https://0.0.0.0:5443", urls);
        Assert.All(urls.Where(u => u.StartsWith("http://", StringComparison.Ordinal)), u => Assert.StartsWith("http://127.0.0.1:", u, StringComparison.Ordinal));
        Assert.StartsWith("https://", configuration["Cirt:Http:Url"], StringComparison.Ordinal);
        Assert.StartsWith("https://", configuration["Cirt:Metrics:Url"], StringComparison.Ordinal);
        Assert.Null(configuration["Cirt:Security:AllowInsecureRemote"]);
        // The certificate comes from the mounted Secret cirt-tls.
        var mount = Container().VolumeMounts.Single(m => m.Name == "tls");
        Assert.StartsWith(mount.MountPath + "/", configuration["Kestrel:Certificates:Default:Path"], StringComparison.Ordinal);
        Assert.Equal("cirt-tls", Deployment().Spec.Template.Spec.Volumes.Single(v => v.Name == "tls").Secret.SecretName);
    }

    [Fact]
    public void ThePodsCarryTheLabelsOrleansKubernetesHostingSelectsThemBy()
    {
        var configuration = SiloConfiguration();
        var labels = Deployment().Spec.Template.Metadata.Labels;

        Assert.Equal(configuration["Cirt:ClusterId"], labels[KubernetesHostingOptions.ClusterIdLabel]);
        Assert.Equal(configuration["Cirt:ServiceId"], labels[KubernetesHostingOptions.ServiceIdLabel]);
        var env = Container().Env.ToDictionary(e => e.Name);
        Assert.Equal("metadata.name", env[KubernetesPod.NameVariable].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.namespace", env[KubernetesPod.NamespaceVariable].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("status.podIP", env[KubernetesPod.AddressVariable].ValueFrom.FieldRef.FieldPath);
    }

    [Fact]
    public void TheProbesAskTheServersHealthServicesOnTheLoopbackListener()
    {
        var container = Container();

        Assert.Equal(["cirt-health", GrpcExtensions.LivenessService], container.LivenessProbe.Exec.Command);
        Assert.Equal(["cirt-health", GrpcExtensions.LivenessService], container.StartupProbe.Exec.Command);
        // Readiness is the whole server (""): the silo answers and storage takes writes.
        Assert.Equal(["cirt-health"], container.ReadinessProbe.Exec.Command);
        Assert.Contains("http://127.0.0.1:5080", SiloConfiguration()["urls"]!.Split(';'));
        Assert.True(File.Exists(DeployFiles.Path("container", "cirt-health")));
    }

    [Fact]
    public void PortsAgreeBetweenSettingsContainerServiceAndNetworkPolicy()
    {
        var configuration = SiloConfiguration();
        var ports = Container().Ports.ToDictionary(p => p.Name, p => p.ContainerPort);

        Assert.Equal(int.Parse(configuration["Cirt:SiloPort"]!, CultureInfo.InvariantCulture), ports["silo"]);
        Assert.Equal(int.Parse(configuration["Cirt:GatewayPort"]!, CultureInfo.InvariantCulture), ports["gateway"]);
        Assert.Equal(new Uri(configuration["urls"]!.Split(';')[0]).Port, ports["grpc"]);
        Assert.Equal(new Uri(configuration["Cirt:Http:Url"]!).Port, ports["https"]);
        Assert.Equal(new Uri(configuration["Cirt:Metrics:Url"]!).Port, ports["metrics"]);
        Assert.All(Single<V1Service>().Spec.Ports, p => Assert.Contains(p.TargetPort.Value, ports.Keys));
        // Orleans' own traffic (not encrypted) is open to the silos only.
        var policy = Single<V1NetworkPolicy>();
        var siloRule = policy.Spec.Ingress.Single(rule => rule.Ports.Any(p => p.Port.Value == "silo"));
        Assert.Equal("cirt", Assert.Single(siloRule.FromProperty).PodSelector.MatchLabels["app.kubernetes.io/name"]);
        Assert.Equal(["gateway", "silo"], siloRule.Ports.Select(p => p.Port.Value).Order(StringComparer.Ordinal));
        Assert.All(policy.Spec.Ingress.Where(r => r != siloRule).SelectMany(r => r.Ports), p => Assert.DoesNotContain(p.Port.Value, new[] { "silo", "gateway" }));
    }

    [Fact]
    public void TheSilosRunUnprivilegedWithAReadOnlyRootFileSystem()
    {
        var pod = Deployment().Spec.Template.Spec;
        var container = Container();

        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Equal("restricted", Single<V1Namespace>().Metadata.Labels["pod-security.kubernetes.io/enforce"]);
        // Writable places: the data folder and /tmp, both scratch.
        Assert.Equal(["/etc/cirt/tls", "/tmp", "/var/lib/cirt"], container.VolumeMounts.Select(m => m.MountPath).Order(StringComparer.Ordinal));
        Assert.Equal(SiloConfiguration()["Cirt:DataDirectory"] ?? "/var/lib/cirt", container.VolumeMounts.Single(m => m.Name == "data").MountPath);
    }

    [Fact]
    public void SecretsComeFromTheSecretAndNeverFromTheManifests()
    {
        var example = (V1Secret)KubernetesYaml.LoadAllFromString(File.ReadAllText(DeployFiles.Path("kubernetes", "secret.example.yaml")), strict: true).Single();
        var fromSecret = Container().Env.Where(e => e.ValueFrom?.SecretKeyRef is not null).ToDictionary(e => e.Name, e => e.ValueFrom.SecretKeyRef);

        Assert.Equal(["Cirt__Security__BootstrapKey", "ConnectionStrings__AzureStorage", "ConnectionStrings__Postgres"], fromSecret.Keys.Order(StringComparer.Ordinal));
        Assert.All(fromSecret.Values, reference => Assert.Equal(example.Metadata.Name, reference.Name));
        Assert.Equal(example.StringData.Keys.Order(StringComparer.Ordinal), fromSecret.Values.Select(r => r.Key).Order(StringComparer.Ordinal));
        // Nothing secret in the ConfigMap or as a literal value.
        var literal = Single<V1ConfigMap>().Data.Keys.Concat(Container().Env.Where(e => e.Value is not null).Select(e => e.Name));
        Assert.DoesNotContain(literal, name => name.Contains("ConnectionStrings", StringComparison.Ordinal) || name.Contains("Key", StringComparison.Ordinal) && !name.Contains("KeyPath", StringComparison.Ordinal));
    }

    /// <summary>
    /// What a silo's configuration holds in its pod: the ConfigMap and the container's variables as
    /// the server reads them (ASPNETCORE_ prefix dropped, "__" as ":"), the downward API and the
    /// Secret filled with example values.
    /// </summary>
    private static IConfiguration SiloConfiguration()
    {
        var variables = new Dictionary<string, string>(Single<V1ConfigMap>().Data);
        var example = (V1Secret)KubernetesYaml.LoadAllFromString(File.ReadAllText(DeployFiles.Path("kubernetes", "secret.example.yaml")), strict: true).Single();
        foreach (var variable in Container().Env)
        {
            variables[variable.Name] = variable.Value
                ?? variable.ValueFrom.FieldRef?.FieldPath switch
                {
                    "metadata.name" => "cirt-6d9f7c-x2k4p",
                    "metadata.namespace" => "cirt",
                    "status.podIP" => "10.42.0.17",
                    _ => null,
                }
                ?? example.StringData[variable.ValueFrom.SecretKeyRef.Key];
        }

        // Configuration keys are case-insensitive: ASPNETCORE_URLS is "urls".
        var settings = variables.ToDictionary(
            v => (v.Key.StartsWith("ASPNETCORE_", StringComparison.Ordinal) ? v.Key["ASPNETCORE_".Length..] : v.Key).Replace("__", ":", StringComparison.Ordinal),
            v => (string?)v.Value);
        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    private static V1Deployment Deployment() => Single<V1Deployment>();

    private static V1Container Container() => Assert.Single(Deployment().Spec.Template.Spec.Containers);

    private static T Single<T>() => Assert.Single(Resources.OfType<T>());

    private static IReadOnlyList<string> KustomizationResources()
    {
        var kustomization = new YamlDotNet.Serialization.DeserializerBuilder().Build()
            .Deserialize<Dictionary<string, object>>(File.ReadAllText(DeployFiles.Path("kubernetes", "kustomization.yaml")));
        return ((List<object>)kustomization["resources"]).Select(r => (string)r).ToArray();
    }

    private static List<object> LoadResources() =>
        KustomizationResources()
            .SelectMany(file => KubernetesYaml.LoadAllFromString(File.ReadAllText(DeployFiles.Path("kubernetes", file)), strict: true))
            .ToList();
}
