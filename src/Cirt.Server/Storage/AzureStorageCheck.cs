using Azure;
using Azure.Data.Tables;

namespace Cirt.Server.Storage;

/// <summary>
/// Before the silo starts: ConnectionStrings:AzureStorage must be a connection string and the account
/// must answer. Otherwise the server refuses to start saying which, instead of Orleans retrying the
/// membership table for minutes and failing with a stack trace.
/// </summary>
public static class AzureStorageCheck
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Creates <paramref name="table"/> when missing; <see cref="StartupRefusedException"/> when the account cannot be used.</summary>
    public static void Ensure(string connectionString, string table)
    {
        TableServiceClient service;
        try
        {
            var options = new TableClientOptions();
            options.Retry.MaxRetries = 1;
            options.Retry.NetworkTimeout = Patience;
            service = new TableServiceClient(connectionString, options);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new StartupRefusedException(
                [$"ConnectionStrings:AzureStorage is not an Azure Storage connection string ({e.Message}); deploy/local-services.sh env prints Azurite's for this machine."]);
        }

        try
        {
            using var cancel = new CancellationTokenSource(Patience * 2);
            service.CreateTableIfNotExists(table, cancel.Token);
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException or AggregateException or System.Net.Http.HttpRequestException)
        {
            throw new StartupRefusedException(
                [$"ConnectionStrings:AzureStorage: the account at {service.Uri} does not answer or refuses us ({Flatten(e)}); start Azurite with deploy/local-services.sh start, or check the account name, key and endpoints."]);
        }
    }

    private static string Flatten(Exception e) => e switch
    {
        RequestFailedException failed => $"{failed.Status} {failed.ErrorCode}: {failed.Message.Split('\n')[0]}",
        AggregateException aggregate => string.Join("; ", aggregate.InnerExceptions.Select(i => i.Message).Distinct()),
        _ => e.Message,
    };
}
