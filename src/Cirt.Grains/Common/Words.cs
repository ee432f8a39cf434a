namespace Cirt.Grains.Common;

/// <summary>
/// Enum values as people read them in messages and timelines, the way the console spells them:
/// lower case, words joined by hyphens (Responding → "responding", InProgress → "in-progress",
/// AmberStrict → "amber-strict"). TLP labels have their own form (<see cref="Incidents.TlpLabels"/>).
/// </summary>
public static class Words
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum
    {
        var name = value.ToString();
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }

    /// <summary>
    /// A moment as messages and timelines write it, as the console prints times: ISO 8601 in UTC to
    /// the minute, "2026-12-03T01:40Z".
    /// </summary>
    public static string Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Values as a list: "closed, responding".</summary>
    public static string List<TEnum>(IEnumerable<TEnum> values) where TEnum : struct, Enum =>
        string.Join(", ", values.Select(Of));
}
