using Cirt.Grains.Common;

namespace Cirt.Grains.Taxonomy;

/// <summary>
/// The ENISA Reference Security Incident Taxonomy: classes and the types within each. Loaded from
/// seeds/rsit-taxonomy.json at start; the server refuses to start without it.
/// </summary>
public sealed class RsitTaxonomy
{
    private readonly IReadOnlyDictionary<string, string[]> _typesByClass;

    public RsitTaxonomy(IEnumerable<RsitClass> classes)
    {
        Classes = classes.ToArray();
        _typesByClass = Classes.ToDictionary(c => c.Name, c => (string[])c.Types.ToArray(), StringComparer.Ordinal);
    }

    public RsitClass[] Classes { get; }

    public bool IsClass(string rsitClass) => _typesByClass.ContainsKey(rsitClass);

    public bool IsType(string rsitClass, string rsitType) =>
        _typesByClass.TryGetValue(rsitClass, out var types) && types.Contains(rsitType, StringComparer.Ordinal);

    /// <summary>Why a class/type pair is not in the taxonomy (naming the field), or null when it is.</summary>
    public (string Field, string Message)? Refuse(string rsitClass, string rsitType)
    {
        if (!_typesByClass.TryGetValue(rsitClass, out var types))
        {
            return ("rsit_class", $"'{Echo.Of(rsitClass)}' is not an RSIT class; classes: {string.Join(", ", _typesByClass.Keys)}.");
        }

        return types.Contains(rsitType, StringComparer.Ordinal)
            ? null
            : ("rsit_type", $"'{Echo.Of(rsitType)}' is not a type of RSIT class '{rsitClass}'; types: {string.Join(", ", types)}.");
    }
}
