using System.Diagnostics;

namespace Cirt.Benchmarks.Ingest;

/// <summary>
/// The disk's own baseline for acknowledgement latency: appends of a latency batch's size, each
/// followed by an fsync, at the latency phase's pace, in the folder the server writes to. What the
/// disk does now and then (a stall of tens of milliseconds) every durable acknowledgement inherits.
/// </summary>
public static class DiskProbe
{
    public static async Task<double[]> FsyncLatenciesAsync(string directory, int bytes, TimeSpan interval, TimeSpan duration)
    {
        var path = Path.Combine(directory, "fsync-probe-" + Guid.NewGuid().ToString("N"));
        var payload = new byte[bytes];
        var latencies = new List<double>();
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration)
            {
                file.Write(payload);
                var started = Stopwatch.GetTimestamp();
                file.Flush(flushToDisk: true);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                await Task.Delay(interval);
            }
        }
        finally
        {
            File.Delete(path);
        }

        return [.. latencies];
    }
}
