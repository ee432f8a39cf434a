using System.Text.Json;
using Cirt.Server.Storage;

namespace Cirt.Server.Backup;

/// <summary>
/// <c>Cirt.Server restore --from &lt;backup folder&gt; --data &lt;new data folder&gt;</c>: checks every file of
/// the backup against its manifest (size and SHA-256) before anything is created, refuses a data
/// folder that is not empty, copies the files into a hidden folder beside the target (mode 0700,
/// files 0600, each checked again as written) and renames it into place, then says what to run next.
/// A refusal is one line on standard error and exit code 2, like a refused start; nothing is created.
/// </summary>
public static class BackupRestore
{
    public const string Command = "restore";

    /// <summary>Runs the restore command with <paramref name="args"/> (what follows "restore"); returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            var (from, data) = Arguments(args);
            var restored = await RestoreAsync(from, data);
            output.WriteLine(
                $"Restored backup '{restored.Name}' (consistent at {restored.ConsistentAt:yyyy-MM-dd HH:mm:ss.fff} UTC, ingest log position {restored.IngestLogPosition}) " +
                $"into {data}: {restored.Files.Count} files, {restored.Files.Sum(f => f.SizeBytes):N0} bytes, every SHA-256 checked.");
            output.WriteLine("Next, start the server on it (from the repository, or run the installed Cirt.Server with the same option):");
            output.WriteLine($"  dotnet run --project src/Cirt.Server -- --Cirt:DataDirectory {Quoted(data)}");
            output.WriteLine(
                $"It aggregates the ingest log from position {restored.AggregatedLogPosition} on by itself. Keys issued, revoked or changed after the backup are as they were at the backup.");
            return 0;
        }
        catch (RestoreRefusedException refused)
        {
            error.WriteLine($"cirt: restore: {refused.Message}");
            return StartupRefusedException.ExitCode;
        }
    }

    private static (string From, string Data) Arguments(string[] args)
    {
        string? from = null, data = null;
        for (var i = 0; i < args.Length; i++)
        {
            var (option, value) = args[i].Split('=', 2) is [var o, var v] ? (o, v) : (args[i], i + 1 < args.Length ? args[++i] : null);
            switch (option)
            {
                case "--from" when value is { Length: > 0 }:
                    from = value;
                    break;
                case "--data" when value is { Length: > 0 }:
                    data = value;
                    break;
                default:
                    throw Usage($"'{args[i]}' is not understood");
            }
        }

        return (from ?? throw Usage("--from is missing"), data ?? throw Usage("--data is missing"));
    }

    private static RestoreRefusedException Usage(string problem) =>
        new($"{problem}; use: restore --from <backup folder> --data <new, empty data folder>");

    /// <summary>Restores the backup in <paramref name="from"/> into the new or empty folder <paramref name="data"/>; <see cref="RestoreRefusedException"/> when it cannot.</summary>
    public static async Task<BackupManifest> RestoreAsync(string from, string data)
    {
        from = Path.GetFullPath(from);
        data = Path.GetFullPath(data.TrimEnd(Path.DirectorySeparatorChar));
        var manifest = ReadManifest(from);
        if (File.Exists(data))
        {
            throw new RestoreRefusedException($"{data} is a file, not a data folder.");
        }

        if (Directory.Exists(data) && Directory.EnumerateFileSystemEntries(data).Any())
        {
            throw new RestoreRefusedException($"the data folder {data} is not empty: restore only into a new or empty folder, never over a server's data.");
        }

        // Every file checked before anything is created: a damaged or altered backup restores nothing.
        foreach (var expected in manifest.Files)
        {
            var path = Path.Combine(from, expected.Name);
            if (!File.Exists(path))
            {
                throw new RestoreRefusedException($"{expected.Name} is listed in the backup's manifest but missing from {from}; nothing was restored.");
            }

            var actual = await FileDigest.OfAsync(path);
            if (actual.SizeBytes != expected.SizeBytes || actual.Sha256 != expected.Sha256)
            {
                throw new RestoreRefusedException(
                    $"{expected.Name} does not match the backup's manifest (SHA-256 {actual.Sha256}, {actual.SizeBytes} bytes; the manifest says {expected.Sha256}, {expected.SizeBytes} bytes): the backup is damaged or altered; nothing was restored.");
            }
        }

        var parent = Path.GetDirectoryName(data) ?? throw new RestoreRefusedException($"{data} cannot be a data folder.");
        var staging = Path.Combine(parent, "." + Path.GetFileName(data) + ".restoring");
        try
        {
            DataFolder.CreateMissing(parent);
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true); // left by a restore that did not finish
            }

            DataFolder.Ensure(staging);
            foreach (var expected in manifest.Files)
            {
                var written = await FileDigest.CopyAsync(Path.Combine(from, expected.Name), Path.Combine(staging, expected.Name));
                if (written.Sha256 != expected.Sha256)
                {
                    throw new RestoreRefusedException($"{expected.Name} changed while it was being restored; nothing was restored.");
                }
            }

            if (Directory.Exists(data))
            {
                Directory.Delete(data); // empty, checked above
            }

            Directory.Move(staging, data);
            DataFolder.Ensure(data);
            return manifest;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(staging);
            throw new RestoreRefusedException($"cannot write the data folder {data} ({e.Message}); nothing was restored.");
        }
        catch (RestoreRefusedException)
        {
            TryDelete(staging);
            throw;
        }
    }

    private static BackupManifest ReadManifest(string from)
    {
        var path = Path.Combine(from, BackupManifest.FileName);
        BackupManifest manifest;
        try
        {
            manifest = BackupManifest.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new RestoreRefusedException($"{from} is not a Cirt backup: {BackupManifest.FileName} cannot be read ({e.Message}).");
        }

        if (manifest.Format != BackupManifest.CurrentFormat)
        {
            throw new RestoreRefusedException($"the backup's format is '{manifest.Format}'; this server restores '{BackupManifest.CurrentFormat}'.");
        }

        foreach (var file in manifest.Files)
        {
            // A manifest names files in the backup folder, never a path elsewhere.
            if (file.Name is null || BackupName.Problem(file.Name) is not null || file.Name == BackupManifest.FileName)
            {
                throw new RestoreRefusedException($"the backup's manifest lists '{file.Name}', which is not a file name of a backup; nothing was restored.");
            }
        }

        return manifest;
    }

    private static string Quoted(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }
}
