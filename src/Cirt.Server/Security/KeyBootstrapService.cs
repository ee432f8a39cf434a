using Cirt.Grains.Security;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Security;

/// <summary>
/// Makes sure a fresh installation can be administered: creates the configured bootstrap key, or,
/// when none is configured and no key exists, generates a coordinator key and writes it to a file
/// only the service's user may read. The key itself never goes to the log.
/// </summary>
public sealed class KeyBootstrapService(
    IGrainFactory grains,
    IOptions<SecurityOptions> options,
    CirtOptions cirt,
    ILogger<KeyBootstrapService> logger) : IHostedService
{
    public const string BootstrapName = "bootstrap";
    public const string DefaultFileName = "bootstrap-coordinator.key";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var security = options.Value;
        var coordinator = new Principal("", BootstrapName, Role.Coordinator, "", "");
        if (!string.IsNullOrEmpty(security.BootstrapKey))
        {
            if (!ApiKeyToken.TryParse(security.BootstrapKey, out var keyId, out var secret))
            {
                throw new InvalidOperationException("Cirt:Security:BootstrapKey is not a Cirt API key (cirt_<16 hex digits>_<43 base64url characters>).");
            }

            var key = grains.GetGrain<IApiKeyGrain>(keyId);
            if (await key.GetAsync() is null)
            {
                await key.IssueAsync(coordinator, ApiKeyToken.Hash(secret), "system:bootstrap");
                logger.LogInformation("Bootstrap coordinator key {KeyId} created from configuration", keyId);
            }

            return;
        }

        if ((await grains.GetGrain<IKeyRegistryGrain>(IKeyRegistryGrain.Key).ListAsync()).Length > 0)
        {
            return;
        }

        var (newKeyId, token, hash) = ApiKeyToken.Generate();
        var path = Path.GetFullPath(security.BootstrapKeyFile ?? Path.Combine(cirt.DataDirectory, DefaultFileName));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
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

        await grains.GetGrain<IApiKeyGrain>(newKeyId).IssueAsync(coordinator, hash, "system:bootstrap");
        logger.LogWarning(
            "No API key existed: bootstrap coordinator key {KeyId} written to {Path} (readable by this user only). "
            + "Log in with it (cirt login), issue personal keys, then revoke it and delete the file.", newKeyId, path);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
