using System.Globalization;

namespace Cirt.Console.Infrastructure;

/// <summary>Reads a file named on the command line; a missing or unreadable one is a usage error naming the option.</summary>
public static class InputFile
{
    public static string Read(string path, string option, long maxBytes = long.MaxValue)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new UsageException($"{option} '{path}': no such file.");
            }

            if (info.Length > maxBytes)
            {
                throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{option} '{path}' is {info.Length:N0} bytes; at most {maxBytes:N0} are accepted."));
            }

            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new UsageException($"{option} '{path}' cannot be read: {ex.Message}");
        }
    }
}
