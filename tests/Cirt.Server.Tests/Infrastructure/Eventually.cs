namespace Cirt.Server.Tests;

/// <summary>Waits in real time for something the server does on its own (a reminder, the aggregator).</summary>
public static class Eventually
{
    /// <summary>Reads until <paramref name="done"/> holds; fails with <paramref name="failure"/> after 30 s.</summary>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> done, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(200);
        }
    }
}
