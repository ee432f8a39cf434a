namespace Cirt.Grains.Ingest;

/// <summary>
/// Who said what in an automated incident: its events counted per feed and producing key, across
/// aggregation passes. The list is bounded: beyond <see cref="Limit"/> sources the ones with the
/// fewest events are folded into one entry whose feed is <see cref="Others"/>.
/// </summary>
public static class AutomatedSources
{
    public const int Limit = 50;

    /// <summary>The feed name of the entry counting the sources left out.</summary>
    public const string Others = "(other sources)";

    /// <summary>The sources of <paramref name="current"/> with <paramref name="added"/> counted in, the largest first.</summary>
    public static AutomatedSource[] Merge(IReadOnlyList<AutomatedSource> current, IReadOnlyList<AutomatedSource> added)
    {
        if (added.Count == 0)
        {
            return current as AutomatedSource[] ?? current.ToArray();
        }

        var counts = new Dictionary<(string Feed, string Producer), long>();
        foreach (var source in current.Concat(added))
        {
            var key = (source.Feed, source.Producer);
            counts[key] = counts.GetValueOrDefault(key) + source.Events;
        }

        var ordered = counts
            .Where(p => p.Key.Feed != Others)
            .OrderByDescending(p => p.Value).ThenBy(p => p.Key.Feed, StringComparer.Ordinal).ThenBy(p => p.Key.Producer, StringComparer.Ordinal)
            .Select(p => new AutomatedSource(p.Key.Feed, p.Key.Producer, p.Value))
            .ToList();
        var folded = counts.Where(p => p.Key.Feed == Others).Sum(p => p.Value);
        if (ordered.Count <= Limit && folded == 0)
        {
            return ordered.ToArray();
        }

        var kept = ordered.Take(Limit - 1).ToList();
        kept.Add(new AutomatedSource(Others, "", folded + ordered.Skip(Limit - 1).Sum(s => s.Events)));
        return kept.ToArray();
    }
}
