using System.Text.RegularExpressions;

namespace Cirt.Grains.Stakeholders;

/// <summary>Shape rules for stakeholder ids and country codes.</summary>
public static partial class StakeholderRules
{
    /// <summary>Lowercase letters, digits and '-', 2 to 64 characters, starting with a letter or digit.</summary>
    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    /// <summary>ISO 3166-1 alpha-2 shape: two uppercase letters.</summary>
    public static bool IsValidCountry(string country) => CountryPattern().IsMatch(country);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,63}\\z")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Z]{2}\\z")]
    private static partial Regex CountryPattern();
}
