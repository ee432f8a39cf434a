using Azure;
using Azure.Data.Tables;
using Npgsql;

namespace Cirt.Server.Storage;

/// <summary>
/// The cluster profile's answer to "can this server take writes": it keeps no database files of its
/// own (no free space to watch), so <see cref="StorageHealthCheck"/> asks whether PostgreSQL and the
/// Azure Storage account answer instead, each within <see cref="Patience"/>.
/// </summary>
public sealed class ClusterStorageProbe(PostgresDatabase postgres, TableServiceClient tables, string membershipTable)
{
    /// <summary>How long each service has to answer before it counts as down.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    /// <summary>What does not answer, one sentence each; empty when both do.</summary>
    public async Task<IReadOnlyList<string>> ProblemsAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Patience);
        try
        {
            await using var connection = await postgres.OpenAsync(timeout.Token);
            await using var ping = new NpgsqlCommand("SELECT 1", connection);
            await ping.ExecuteScalarAsync(timeout.Token);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            problems.Add($"PostgreSQL (ConnectionStrings:Postgres) does not answer: {e.Message}");
        }

        using var azureTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        azureTimeout.CancelAfter(Patience);
        try
        {
            await foreach (var _ in tables.QueryAsync(t => t.Name == membershipTable, maxPerPage: 1, cancellationToken: azureTimeout.Token))
            {
                break;
            }
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException or AggregateException or HttpRequestException)
        {
            problems.Add($"Azure Storage (ConnectionStrings:AzureStorage) does not answer: {e.Message.Split('\n')[0]}");
        }

        return problems;
    }
}
