using System.Net;
using System.Net.Sockets;

namespace Cirt.Tests;

/// <summary>
/// Ports for listeners that cannot bind port 0 themselves (Orleans' silo and gateway, a server
/// started as a process whose address the test must know), on 127.0.0.1. They are taken below the
/// kernel's ephemeral range (32768 and up on Linux), which every port-0 bind draws from (Kestrel's,
/// clients'), so a port found free here is not handed to one of those before its listener binds it.
/// Each test process walks a block of its own (by assembly and process id) and skips ports in use.
/// </summary>
public static class LoopbackPorts
{
    private const int First = 20_000;
    private const int BlockSize = 400;
    private const int Blocks = 30; // 20,000 to 31,999

    private static readonly int BlockStart = First + (Math.Abs(HashOf(typeof(LoopbackPorts).Assembly.GetName().Name ?? "") + Environment.ProcessId) % Blocks) * BlockSize;
    private static int _taken = -1;

    public static int Next()
    {
        for (var attempt = 0; attempt < BlockSize; attempt++)
        {
            var port = BlockStart + (Interlocked.Increment(ref _taken) % BlockSize);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use (another process's block overlapping this one, or a listener not yet gone): the next.
            }
        }

        throw new InvalidOperationException($"No free port on 127.0.0.1 from {BlockStart} to {BlockStart + BlockSize - 1}.");
    }

    /// <summary>A hash stable across runs (string.GetHashCode is not).</summary>
    private static int HashOf(string text) => text.Aggregate(17, (hash, c) => unchecked((hash * 31) + c)) & 0x7fffffff;
}
