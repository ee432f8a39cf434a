namespace Cirt.Server.Federation;

/// <summary>A secret kept in a file only this user can read (mode 0600), created whole or not at all.</summary>
public static class SecretFile
{
    /// <summary>
    /// The text of <paramref name="path"/>; when the file is missing, <paramref name="create"/>'s
    /// text is written to a temporary file beside it, forced to disk and moved into place, so a crash
    /// never leaves half a secret behind. When another process created the file first, its text wins.
    /// </summary>
    public static string ReadOrCreate(string path, Func<string> create)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path);
        }

        var full = Path.GetFullPath(path);
        Storage.DataFolder.CreateMissing(Path.GetDirectoryName(full)!);
        var temporary = full + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var text = create();
        using (var file = new FileStream(temporary, options))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes(text));
            file.Flush(flushToDisk: true);
        }

        try
        {
            File.Move(temporary, full, overwrite: false);
            return text;
        }
        catch (IOException) when (File.Exists(full))
        {
            File.Delete(temporary);
            return File.ReadAllText(full);
        }
    }
}
