namespace Cirt.Grains.Common;

/// <summary>
/// A request a grain applied, as it remembers it: <see cref="Key"/> names who sent which request id
/// to which method, <see cref="Digest"/> what the request asked (both hex digests, computed where
/// the request arrived). A grain keeps its last few (<see cref="RecentRequests"/>) in its state,
/// stored with the change they made, so a retry finds them even when the answer was lost in a crash.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("cirt.RecentRequest")]
public sealed record RecentRequest(
    [property: Id(0)] string Key,
    [property: Id(1)] string Digest);
