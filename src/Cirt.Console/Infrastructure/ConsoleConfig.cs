using System.Text.Json;

namespace Cirt.Console.Infrastructure;

/// <summary>
/// What `cirt login` remembers: the server address and the API key, in a file only the user may
/// read ($CIRT_CONFIG, else $XDG_CONFIG_HOME/cirt/config.json, else ~/.config/cirt/config.json).
/// </summary>
public sealed record ConsoleConfig(string Server, string ApiKey)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static string FilePath
    {
        get
        {
            if (Environment.GetEnvironmentVariable("CIRT_CONFIG") is { Length: > 0 } explicitPath)
            {
                return explicitPath;
            }

            var configHome = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            return Path.Combine(configHome, "cirt", "config.json");
        }
    }

    public static ConsoleConfig? Load()
    {
        var path = FilePath;
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ConsoleConfig>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            throw new UsageException($"{path} is not a valid cirt configuration ({ex.Message}); run cirt login again.");
        }
    }

    public void Save()
    {
        var path = FilePath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        // UTF-8 without a byte order mark: other tools (Python's json.load, jq) refuse one.
        using (var writer = new StreamWriter(path, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options))
        {
            writer.Write(JsonSerializer.Serialize(this, Json));
        }

        if (!OperatingSystem.IsWindows())
        {
            // An existing file keeps its mode on overwrite: set it again.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
