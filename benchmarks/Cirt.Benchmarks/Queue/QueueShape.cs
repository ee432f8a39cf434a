namespace Cirt.Benchmarks.Queue;

/// <summary>
/// One list call as an analyst makes it, measured on its own: <paramref name="Call"/> makes it once
/// and returns the total it reports (-1 where it reports none). <paramref name="Expected"/> is how
/// many incidents the fill put behind the filter, where known; <paramref name="Page"/> the page it
/// asks for (1, or a deep page reached by following page tokens).
/// </summary>
public sealed record QueueShape(string Name, Func<Task<int>> Call, int? Expected = null, int Page = 1);
