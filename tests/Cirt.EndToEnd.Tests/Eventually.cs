namespace Cirt.EndToEnd.Tests;

/// <summary>Waits in real time for something the servers do on their own (a reminder, the aggregator, a client's progress), by reading until it holds.</summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>Reads until <paramref name="done"/> holds; fails with <paramref name="failure"/> of the last value read after <paramref name="within"/>.</summary>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan within, Func<T, string> failure)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, failure(value));
            await Task.Delay(Interval);
        }
    }

    /// <summary>Reads until <paramref name="done"/> holds; fails with <paramref name="failure"/> after <paramref name="within"/>.</summary>
    public static Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan within, Func<string> failure) =>
        ReadAsync(read, done, within, _ => failure());
}
