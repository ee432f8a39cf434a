using System.Text.Json;

namespace Cirt.Console.Triage;

/// <summary>
/// The RSIT classes and their types, for the triage pickers: read from the same file the server
/// seeds its taxonomy from (seeds/rsit-taxonomy.json, built into the console), so both offer the
/// same words; the server still checks what is sent.
/// </summary>
public static class RsitTaxonomy
{
    /// <summary>One RSIT class with its types, in the file's order.</summary>
    public sealed record RsitClass(string Name, string Description, IReadOnlyList<string> Types);

    private static readonly Lazy<IReadOnlyList<RsitClass>> Classes = new(Load);

    public static IReadOnlyList<RsitClass> All => Classes.Value;

    private static IReadOnlyList<RsitClass> Load()
    {
        using var stream = typeof(RsitTaxonomy).Assembly.GetManifestResourceStream("rsit-taxonomy.json")
            ?? throw new InvalidOperationException("The RSIT taxonomy is not built into the console.");
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.GetProperty("classes").EnumerateArray()
            .Select(c => new RsitClass(
                c.GetProperty("name").GetString()!,
                c.TryGetProperty("description", out var d) ? d.GetString() ?? "" : "",
                c.GetProperty("types").EnumerateArray().Select(t => t.GetString()!).ToArray()))
            .ToArray();
    }
}
