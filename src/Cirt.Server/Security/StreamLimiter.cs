using Microsoft.Extensions.Options;

namespace Cirt.Server.Security;

/// <summary>
/// Counts the streaming calls each key holds open (calls without a key: each remote address), and
/// all of them together, in two pools (<see cref="StreamPool"/>), so that one key cannot hold the
/// server with streams. A call over a limit is refused before it starts; its slot is freed when it ends.
/// </summary>
public sealed class StreamLimiter(IOptions<SecurityOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(StreamPool Pool, string Holder), int> _open = [];
    private readonly int[] _total = new int[Enum.GetValues<StreamPool>().Length];

    /// <summary>The pool a method's streams count against.</summary>
    public static StreamPool PoolOf(string method) =>
        method == "/cirt.v1.IngestService/Stream" ? StreamPool.Ingest : StreamPool.General;

    /// <summary>
    /// Takes a slot of <paramref name="pool"/> for <paramref name="holder"/> ("key:…" or
    /// "address:…"); false, with the caller's message, when the holder or the server is at its limit.
    /// </summary>
    public bool TryOpen(StreamPool pool, string holder, out string refusal)
    {
        var (perHolder, total) = LimitsOf(pool);
        var noun = pool == StreamPool.Ingest ? "ingest stream" : "stream";
        lock (_gate)
        {
            var held = _open.GetValueOrDefault((pool, holder));
            if (held >= perHolder)
            {
                var who = holder.StartsWith("key:", StringComparison.Ordinal) ? "key" : "address";
                refusal = $"This {who} already holds {Count(perHolder, noun)} open, the most one may hold: close one before opening another.";
                return false;
            }

            if (_total[(int)pool] >= total)
            {
                refusal = $"The server already holds {Count(total, noun)} open, the most it allows: retry later.";
                return false;
            }

            _open[(pool, holder)] = held + 1;
            _total[(int)pool]++;
        }

        refusal = "";
        return true;
    }

    /// <summary>Frees a slot taken by <see cref="TryOpen"/>.</summary>
    public void Close(StreamPool pool, string holder)
    {
        lock (_gate)
        {
            var held = _open.GetValueOrDefault((pool, holder));
            if (held <= 1)
            {
                _open.Remove((pool, holder));
            }
            else
            {
                _open[(pool, holder)] = held - 1;
            }

            _total[(int)pool]--;
        }
    }

    private (int PerHolder, int Total) LimitsOf(StreamPool pool) => pool == StreamPool.Ingest
        ? (options.Value.IngestStreamsPerKey, options.Value.IngestStreamsTotal)
        : (options.Value.StreamsPerKey, options.Value.StreamsTotal);

    private static string Count(int n, string noun) => $"{n:N0} {noun}{(n == 1 ? "" : "s")}";
}
