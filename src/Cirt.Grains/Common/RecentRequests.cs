namespace Cirt.Grains.Common;

/// <summary>
/// The requests a grain remembers having applied (the last <see cref="Kept"/>), and whether the one
/// under way is one of them: the same key with the same digest was applied already; the same key
/// with another digest is a request id used again for a different change, refused.
/// </summary>
public static class RecentRequests
{
    /// <summary>How many requests a grain remembers: far more than the retries of one client's calls in flight.</summary>
    public const int Kept = 64;

    /// <summary>What a caller hears when it sends a request id it used for a different request.</summary>
    public const string Reused =
        "was already used by this key for a different request; a retry must send the same request, a new change needs a new request_id";

    /// <summary><paramref name="recent"/> with <paramref name="request"/> as the newest, the oldest dropped past <see cref="Kept"/>.</summary>
    public static RecentRequest[] Remember(RecentRequest[] recent, RecentRequest request) =>
        [.. recent.Where(r => r.Key != request.Key).TakeLast(Kept - 1), request];

    /// <summary>
    /// Whether <paramref name="request"/> (null: the call carries no request id) is among
    /// <paramref name="recent"/>; INVALID_ARGUMENT on request_id when its id came with a different request.
    /// </summary>
    public static bool AlreadyApplied(RecentRequest[] recent, RecentRequest? request)
    {
        if (request is null || recent.FirstOrDefault(r => r.Key == request.Key) is not { } earlier)
        {
            return false;
        }

        return earlier.Digest == request.Digest
            ? true
            : throw new CirtException(CirtErrorKind.InvalidArgument, $"This request_id {Reused}.", "request_id");
    }
}
