using System.Text.RegularExpressions;

namespace Cirt.Grains.Stakeholders;

/// <summary>Rules for stakeholder ids, country codes and NIS2 attributes.</summary>
public static partial class StakeholderRules
{
    /// <summary>Lowercase letters, digits and '-', 2 to 64 characters, starting with a letter or digit.</summary>
    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    /// <summary>ISO 3166-1 alpha-2 shape: two uppercase letters.</summary>
    public static bool IsValidCountry(string country) => CountryPattern().IsMatch(country);

    /// <summary>
    /// Why a stakeholder cannot be a trust service provider with <paramref name="entityClass"/>, or
    /// null: NIS2 makes every trust service provider an essential or an important entity (Art. 3),
    /// and its 24-hour notification (Art. 23(4)(b)) runs only for those.
    /// </summary>
    public static string? RefuseTrustServiceProvider(bool trustServiceProvider, Nis2EntityClass entityClass) =>
        trustServiceProvider && entityClass is not (Nis2EntityClass.Essential or Nis2EntityClass.Important)
            ? "a trust service provider is an essential or important entity under NIS2: set nis2_entity_class to ESSENTIAL or IMPORTANT"
            : null;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,63}\\z")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Z]{2}\\z")]
    private static partial Regex CountryPattern();
}
