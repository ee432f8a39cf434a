namespace Cirt.Server.Federation;

/// <summary>One page of a list, newest first, and the position the next page starts before (0 after the last page).</summary>
public sealed record StorePage<T>(IReadOnlyList<T> Items, long NextBefore);
