using System.Security.Cryptography;

namespace Cirt.Server.Backup;

/// <summary>SHA-256 of files, as backups and restore write and check them (lower-case hex).</summary>
public static class FileDigest
{
    public static async Task<BackupFileEntry> OfAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return new BackupFileEntry(Path.GetFileName(path), stream.Length, Convert.ToHexStringLower(hash));
    }

    /// <summary>
    /// Copies <paramref name="source"/> to the new file <paramref name="destination"/> (mode 0600, on
    /// disk before it returns) and returns the digest of what was written.
    /// </summary>
    public static async Task<BackupFileEntry> CopyAsync(string source, string destination, CancellationToken cancellationToken = default)
    {
        await using var input = File.OpenRead(source);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = Storage.DataFolder.FileMode;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var output = new FileStream(destination, options))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            output.Flush(flushToDisk: true);
        }

        return new BackupFileEntry(Path.GetFileName(destination), new FileInfo(destination).Length, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
