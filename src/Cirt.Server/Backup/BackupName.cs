using System.Globalization;

namespace Cirt.Server.Backup;

/// <summary>
/// What a backup may be called: a plain folder name under backups/, never a path. 1 to 64 letters,
/// digits, '.', '_' or '-', not starting with '.' (so neither "." nor ".." nor a hidden name, which
/// the backup uses while it is being written).
/// </summary>
public static class BackupName
{
    public const int MaxLength = 64;

    /// <summary>Why <paramref name="name"/> cannot name a backup, or null when it can.</summary>
    public static string? Problem(string name)
    {
        if (name.Length is 0 or > MaxLength)
        {
            return $"must be 1 to {MaxLength} characters";
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return "may hold only letters, digits, '.', '_' or '-' (a name, not a path)";
            }
        }

        if (name[0] == '.')
        {
            return "must not start with '.'";
        }

        return null;
    }

    /// <summary>The name of a backup taken at <paramref name="at"/> when none is given: its UTC time to the millisecond.</summary>
    public static string ForTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
}
