using System.Net;
using System.Text.RegularExpressions;

namespace Cirt.Server.Storage;

/// <summary>
/// The configuration section "Cirt:Cluster": where the cluster profile keeps its Orleans data in
/// Azure Storage and how a silo is reached. Every name has a default; tests give each run names of
/// its own so that runs never share membership, state or reminders.
/// </summary>
public sealed partial class ClusterProfileOptions
{
    public const string Section = "Cirt:Cluster";

    /// <summary>Azure Table holding the silos of every cluster (rows keyed by ClusterId).</summary>
    public string MembershipTable { get; set; } = "cirtmembership";

    /// <summary>Azure Table holding the state of grains whose state stays small (<see cref="ClusterGrainStorage"/>).</summary>
    public string GrainStateTable { get; set; } = "cirtgrainstate";

    /// <summary>Blob container holding the state of grains whose state can outgrow a Table entity.</summary>
    public string GrainStateContainer { get; set; } = "cirt-grain-state";

    /// <summary>Azure Table holding the reminders (deadline checks, advisory chasing).</summary>
    public string ReminderTable { get; set; } = "cirtreminders";

    /// <summary>The address other silos and clients use to reach this silo; loopback by default, the machine's own address in a real cluster.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>The address the silo and gateway ports listen on: every interface by default.</summary>
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>What is wrong with these settings, one sentence each naming the setting; empty when nothing is.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (name, value) in new[]
                 {
                     (nameof(MembershipTable), MembershipTable), (nameof(GrainStateTable), GrainStateTable), (nameof(ReminderTable), ReminderTable),
                 })
        {
            if (value is null || !TableName().IsMatch(value))
            {
                yield return $"{Section}:{name} must be an Azure Table name: 3 to 63 letters or digits, starting with a letter (it is '{value}').";
            }
        }

        if (GrainStateContainer is null || !ContainerName().IsMatch(GrainStateContainer) || GrainStateContainer.Contains("--", StringComparison.Ordinal))
        {
            yield return $"{Section}:{nameof(GrainStateContainer)} must be a blob container name: 3 to 63 lower-case letters, digits or single '-', starting and ending with a letter or digit (it is '{GrainStateContainer}').";
        }

        if (!IPAddress.TryParse(AdvertisedAddress, out var advertised) || advertised.Equals(IPAddress.Any) || advertised.Equals(IPAddress.IPv6Any))
        {
            yield return $"{Section}:{nameof(AdvertisedAddress)} must be the IP address other silos reach this one at, not a wildcard (it is '{AdvertisedAddress}').";
        }

        if (!IPAddress.TryParse(ListenAddress, out _))
        {
            yield return $"{Section}:{nameof(ListenAddress)} must be an IP address, 0.0.0.0 for every interface (it is '{ListenAddress}').";
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableName();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex ContainerName();
}
