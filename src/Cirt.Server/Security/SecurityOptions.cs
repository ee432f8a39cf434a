namespace Cirt.Server.Security;

/// <summary>The configuration section "Cirt:Security".</summary>
public sealed class SecurityOptions
{
    public const string Section = "Cirt:Security";

    /// <summary>
    /// A coordinator key to create at first start (a full "cirt_…" token, e.g. from a secret
    /// store). When unset and no key exists yet, one is generated and written to
    /// <see cref="BootstrapKeyFile"/>.
    /// </summary>
    public string? BootstrapKey { get; set; }

    /// <summary>Where a generated bootstrap key is written (mode 0600); default: bootstrap-coordinator.key in the data folder.</summary>
    public string? BootstrapKeyFile { get; set; }

    /// <summary>Requests each principal may make per second, sustained.</summary>
    public int PermitsPerSecond { get; set; } = 200;

    /// <summary>Requests a principal may make in a burst above the sustained rate.</summary>
    public int Burst { get; set; } = 400;

    /// <summary>Allow plain (unencrypted) HTTP/2 on non-loopback addresses. Never in production.</summary>
    public bool AllowInsecureRemote { get; set; }
}
