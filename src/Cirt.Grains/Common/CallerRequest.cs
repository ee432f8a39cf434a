namespace Cirt.Grains.Common;

/// <summary>
/// The request id of the call under way, carried from the gRPC layer to the grains it calls in
/// Orleans' request context (it follows the call, and only it). Grains that remember what they
/// applied (<see cref="RecentRequests"/>) read it; nothing else does.
/// </summary>
public static class CallerRequest
{
    private const string KeyItem = "cirt.request.key";
    private const string DigestItem = "cirt.request.digest";

    /// <summary>The request under way, or null when the call carries no request id.</summary>
    public static RecentRequest? Current =>
        RequestContext.Get(KeyItem) is string key && RequestContext.Get(DigestItem) is string digest ? new RecentRequest(key, digest) : null;

    /// <summary>Marks the rest of this call (and the grain calls it makes) as <paramref name="request"/>.</summary>
    public static void Set(RecentRequest request)
    {
        RequestContext.Set(KeyItem, request.Key);
        RequestContext.Set(DigestItem, request.Digest);
    }

    /// <summary>Ends the mark set by <see cref="Set"/>.</summary>
    public static void Clear()
    {
        RequestContext.Remove(KeyItem);
        RequestContext.Remove(DigestItem);
    }
}
