using System.Reflection;
using Spectre.Console.Cli;

namespace Cirt.Console.Infrastructure;

/// <summary>
/// A request field the server names in an error (tlp, tracking_id, rsit_class), as the command line
/// that sent it spells it: its option (--tlp, --class) or argument (&lt;TRACKING-ID&gt;), found on the
/// command's settings by their CommandOption and CommandArgument attributes; else the field's name.
/// </summary>
public static class FieldNames
{
    /// <param name="settingsType">The command's settings type.</param>
    /// <param name="field">The field path in the request, e.g. tlp, tracking_id, observables[2].value.</param>
    public static string Flag(Type settingsType, string field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return field;
        }

        // observables[2].value → observables; a nested field is the flag of the field that holds it.
        var top = field.Split('.', '[')[0];
        var kebab = top.Replace('_', '-');
        var compact = top.Replace("_", "", StringComparison.Ordinal);
        string? byProperty = null;
        foreach (var property in settingsType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var option = property.GetCustomAttribute<CommandOptionAttribute>();
            var argument = property.GetCustomAttribute<CommandArgumentAttribute>();
            var shown = option is { LongNames.Count: > 0 } ? "--" + option.LongNames[0]
                : argument is not null ? "<" + argument.ValueName + ">"
                : null;
            if (shown is null)
            {
                continue;
            }

            if ((option?.LongNames.Any(name => name.Equals(kebab, StringComparison.OrdinalIgnoreCase)) ?? false)
                || (argument?.ValueName.Equals(kebab, StringComparison.OrdinalIgnoreCase) ?? false))
            {
                return field == top ? shown : shown + " (" + field + ")";
            }

            // rsit_class is the property RsitClass, whose option is --class.
            if (byProperty is null && property.Name.Equals(compact, StringComparison.OrdinalIgnoreCase))
            {
                byProperty = shown;
            }
        }

        return byProperty is null ? field : field == top ? byProperty : byProperty + " (" + field + ")";
    }
}
