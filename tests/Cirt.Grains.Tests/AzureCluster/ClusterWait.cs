namespace Cirt.Grains.Tests.AzureCluster;

/// <summary>Waits in real time for something the cluster does on its own (a silo joining, a silo declared dead).</summary>
public static class ClusterWait
{
    /// <summary>Reads until <paramref name="done"/> holds, every 50 ms; fails with <paramref name="failure"/> after <paramref name="patience"/>.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan patience, string failure)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }
}
