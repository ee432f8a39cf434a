using Cirt.Grains.Security;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Security;

/// <summary>
/// Makes sure a fresh installation can be administered: creates the configured bootstrap key, or,
/// when none is configured and no key exists, generates a coordinator key and writes it to a file
/// only the service's user may read; and, when <see cref="RecoveryRequestFileName"/> is in the data
/// folder at start, issues a fresh coordinator key the same way. The key itself never goes to the log.
/// In the cluster profile (<paramref name="cluster"/> given) the check and the issue happen under a
/// PostgreSQL advisory lock, so of silos starting together on an empty cluster exactly one issues a
/// bootstrap key, into its own data folder; the others find it issued. Setting
/// Cirt:Security:BootstrapKey to the same key on every silo avoids the file altogether.
/// </summary>
public sealed class KeyBootstrapService(
    IGrainFactory grains,
    IOptions<SecurityOptions> options,
    CirtOptions cirt,
    ILogger<KeyBootstrapService> logger,
    Storage.PostgresDatabase? cluster = null) : IHostedService
{
    public const string BootstrapName = "bootstrap";
    public const string DefaultFileName = "bootstrap-coordinator.key";

    /// <summary>Present in the data folder at start: a new coordinator key is written to the bootstrap key file, and this file deleted.</summary>
    public const string RecoveryRequestFileName = "recovery-coordinator.request";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (cluster is null)
        {
            await BootstrapAsync();
            return;
        }

        await using (await Storage.PostgresAdvisoryLock.TakeAsync(cluster, Storage.PostgresAdvisoryLock.BootstrapKey, cancellationToken))
        {
            await BootstrapAsync();
        }
    }

    private async Task BootstrapAsync()
    {
        var security = options.Value;
        await RecoverIfRequestedAsync(security);
        if (!string.IsNullOrEmpty(security.BootstrapKey))
        {
            if (!ApiKeyToken.TryParse(security.BootstrapKey, out var keyId, out var secret))
            {
                throw new InvalidOperationException("Cirt:Security:BootstrapKey is not a Cirt API key (cirt_<16 hex digits>_<43 base64url characters>).");
            }

            var key = grains.GetGrain<IApiKeyGrain>(keyId);
            if (await key.GetAsync() is null)
            {
                await key.IssueAsync(Coordinator(BootstrapName), ApiKeyToken.Hash(secret), "system:bootstrap");
                logger.LogInformation("Bootstrap coordinator key {KeyId} created from configuration", keyId);
            }

            return;
        }

        if ((await grains.GetGrain<IKeyRegistryGrain>(IKeyRegistryGrain.Key).ListAsync()).Length > 0)
        {
            return;
        }

        var (newKeyId, path) = await IssueToFileAsync(security, BootstrapName, "system:bootstrap");
        logger.LogWarning(
            "No API key existed: bootstrap coordinator key {KeyId} written to {Path} on {Host} (readable by this user only). "
            + "Log in with it (cirt login), issue personal keys, then revoke it and delete the file.", newKeyId, path, Environment.MachineName);
    }

    /// <summary>
    /// The way back in when no coordinator key is at hand (lost, or its holder gone): whoever may
    /// write to the data folder (the service's user) asks for a key with a file, and reads it from
    /// another file only that user may read; no key ever appears on a command line or in the log.
    /// </summary>
    private async Task RecoverIfRequestedAsync(SecurityOptions security)
    {
        var request = Path.Combine(Path.GetFullPath(cirt.DataDirectory), RecoveryRequestFileName);
        if (!File.Exists(request))
        {
            return;
        }

        var (keyId, path) = await IssueToFileAsync(security, "recovery", "system:recovery");
        // Deleted last: a crash before this issues another key at the next start, never none.
        File.Delete(request);
        logger.LogWarning(
            "Recovery requested ({Request}): coordinator key {KeyId} written to {Path} (readable by this user only). "
            + "Log in with it, revoke the keys you no longer trust, issue personal keys, then revoke it and delete the file.", request, keyId, path);
    }

    private static Principal Coordinator(string name) => new("", name, Role.Coordinator, "", "");

    /// <summary>Generates a coordinator key, writes it to the bootstrap key file (mode 0600, replacing what was there), then stores it.</summary>
    private async Task<(string KeyId, string Path)> IssueToFileAsync(SecurityOptions security, string name, string actor)
    {
        var (keyId, token, hash) = ApiKeyToken.Generate();
        var path = Path.GetFullPath(security.BootstrapKeyFile ?? Path.Combine(cirt.DataDirectory, DefaultFileName));
        Storage.DataFolder.CreateMissing(Path.GetDirectoryName(path)!);
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        // The file first: a key stored but never written down would lock everyone out.
        await using (var file = new StreamWriter(path, System.Text.Encoding.ASCII, fileOptions))
        {
            await file.WriteLineAsync(token);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await grains.GetGrain<IApiKeyGrain>(keyId).IssueAsync(Coordinator(name), hash, actor);
        return (keyId, path);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
