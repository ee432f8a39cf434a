using Cirt.Grains.Advisories;

namespace Cirt.Server.Stix;

/// <summary>
/// A bundle read as the content of a draft advisory, and what was not carried over (object types we
/// do not map, patterns we cannot read, texts shortened, the reason for the TLP chosen) for the
/// coordinator to review.
/// </summary>
public sealed record StixImport(AdvisoryContent Content, IReadOnlyList<string> Skipped);
