using System.Net;

namespace Cirt.Server.Hosting;

/// <summary>
/// The pod a silo runs in when Cirt:Cluster:Kubernetes is true: its name, namespace and IP, which
/// the pod's manifest hands over through the Kubernetes downward API as POD_NAME, POD_NAMESPACE and
/// POD_IP (the variables Orleans' Kubernetes hosting reads).
/// </summary>
public sealed record KubernetesPod(string Name, string Namespace, IPAddress Address)
{
    /// <summary>Whether the silo runs in Kubernetes: Orleans then learns the silo's name and address from the pod and watches the cluster's pods.</summary>
    public const string EnabledKey = "Cirt:Cluster:Kubernetes";

    public const string NameVariable = "POD_NAME";
    public const string NamespaceVariable = "POD_NAMESPACE";
    public const string AddressVariable = "POD_IP";

    /// <summary>Whether <see cref="EnabledKey"/> is set to true; refuses to start on a value that is not a boolean.</summary>
    public static bool IsEnabled(IConfiguration configuration)
    {
        var value = configuration[EnabledKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        return bool.TryParse(value, out var enabled)
            ? enabled
            : throw new StartupRefusedException([$"{EnabledKey} must be true or false (it is '{value}')."]);
    }

    /// <summary>The pod from <paramref name="configuration"/> (environment variables included); refuses to start, naming each variable that is missing or wrong.</summary>
    public static KubernetesPod From(IConfiguration configuration)
    {
        var problems = new List<string>();
        string Required(string variable, string fieldPath)
        {
            var value = configuration[variable];
            if (string.IsNullOrWhiteSpace(value))
            {
                problems.Add($"{EnabledKey}=true needs the environment variable {variable}: set it in the pod's manifest from the downward API (valueFrom.fieldRef.fieldPath: {fieldPath}).");
            }

            return value ?? "";
        }

        var name = Required(NameVariable, "metadata.name");
        var space = Required(NamespaceVariable, "metadata.namespace");
        var ip = Required(AddressVariable, "status.podIP");
        IPAddress? address = null;
        if (ip.Length > 0 && !IPAddress.TryParse(ip, out address))
        {
            problems.Add($"{AddressVariable} must be the pod's IP address (it is '{ip}').");
        }

        return problems.Count > 0 ? throw new StartupRefusedException(problems) : new KubernetesPod(name, space, address!);
    }
}
