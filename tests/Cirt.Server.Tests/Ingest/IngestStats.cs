using Cirt.Contracts.V1;

namespace Cirt.Server.Tests.Ingest;

public static class IngestStats
{
    /// <summary>Waits until the aggregator has caught up (and, when given, the stored total is reached).</summary>
    public static async Task<GetIngestStatsResponse> SettledAsync(IngestService.IngestServiceClient analyst, long? stored = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var stats = await analyst.GetIngestStatsAsync(new GetIngestStatsRequest());
            if (stats.Backlog == 0 && (stored is null || stats.Total.Stored >= stored))
            {
                return stats;
            }

            Assert.True(DateTime.UtcNow < deadline, $"aggregation did not catch up: backlog {stats.Backlog}, stored {stats.Total.Stored}");
            await Task.Delay(50);
        }
    }
}
