namespace Cirt.Grains.Taxonomy;

/// <summary>One RSIT class, e.g. "malicious-code", with its types.</summary>
public sealed record RsitClass(string Name, string Description, string[] Types);
