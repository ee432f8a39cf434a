namespace Cirt.Grains.Common;

/// <summary>Optimistic concurrency for human edits: a non-zero expected version must match.</summary>
public static class Versioning
{
    public static void Check(string what, string id, long expectedVersion, long actualVersion)
    {
        if (expectedVersion != 0 && expectedVersion != actualVersion)
        {
            throw CirtException.Conflict(what, id, expectedVersion, actualVersion);
        }
    }
}
