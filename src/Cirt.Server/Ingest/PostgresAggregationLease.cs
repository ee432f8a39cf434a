using Cirt.Server.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cirt.Server.Ingest;

/// <summary>
/// The cluster's aggregation lease: the row ingest_lease in PostgreSQL, held by one silo at a time
/// while its expiry (the database's clock, so silos' clocks do not matter) is ahead. A silo takes it
/// once it has expired (or was given up), adding one to its epoch, and renews it every third of
/// <see cref="IngestOptions.AggregationLease"/>. Every write of the aggregator's state checks, in its
/// own transaction, that the epoch is still the one taken (<see cref="FenceAsync"/>): a silo that
/// lost the lease, however late it wakes up, records nothing more. When the silo holding it dies,
/// another takes it over within one lease.
/// </summary>
public sealed class PostgresAggregationLease(PostgresDatabase database, IOptions<IngestOptions> options, ILogger<PostgresAggregationLease> logger)
    : IAggregationLease, IAsyncDisposable
{
    private readonly TimeSpan _lease = options.Value.AggregationLease;
    private readonly object _gate = new();
    private CancellationTokenSource? _term;
    private Task _renewing = Task.CompletedTask;
    private long _epoch;

    /// <summary>This silo's name in the lease row: host, process and a start-unique suffix.</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}"[..^24];

    /// <summary>The epoch this silo holds the lease with; 0 when it does not.</summary>
    public long Epoch => Volatile.Read(ref _epoch);

    public bool Held => Epoch != 0;

    public async Task<CancellationToken> AcquireAsync(CancellationToken cancellationToken)
    {
        var waiting = false;
        while (true)
        {
            try
            {
                if (await TryTakeAsync(cancellationToken) is { } epoch)
                {
                    var term = new CancellationTokenSource();
                    lock (_gate)
                    {
                        _term = term;
                        Volatile.Write(ref _epoch, epoch);
                    }

                    logger.LogInformation("This silo ({Owner}) aggregates the ingest log now (lease epoch {Epoch})", Owner, epoch);
                    _renewing = Task.Run(() => RenewAsync(epoch, term, cancellationToken), CancellationToken.None);
                    return term.Token;
                }

                if (!waiting)
                {
                    logger.LogInformation("Another silo aggregates the ingest log; this one ({Owner}) takes over if its lease expires", Owner);
                    waiting = true;
                }
            }
            catch (NpgsqlException ex)
            {
                logger.LogWarning(ex, "Could not check the ingest aggregation lease; trying again");
            }

            await Task.Delay(_lease / 3, cancellationToken);
        }
    }

    /// <summary>
    /// First statement of a transaction that writes the aggregator's state: renews the lease if its
    /// epoch is still ours, and holds its row until the commit (a silo taking over waits for it, then
    /// finds it renewed). Throws <see cref="IngestFencedException"/>, and ends the term, when it is not.
    /// </summary>
    public async Task FenceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var epoch = Epoch;
        if (epoch != 0 && await RenewAsync(connection, transaction, epoch, cancellationToken))
        {
            return;
        }

        Lost(epoch);
        throw new IngestFencedException(epoch);
    }

    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        var epoch = Epoch;
        Lost(epoch);
        await _renewing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (epoch == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var release = new NpgsqlCommand(
            "UPDATE ingest_lease SET owner = '', expires_at = '-infinity' WHERE id = 1 AND epoch = @epoch;", connection);
        release.Parameters.AddWithValue("epoch", epoch);
        if (await release.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            logger.LogInformation("This silo ({Owner}) gave up the ingest aggregation lease (epoch {Epoch})", Owner, epoch);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Lost(Epoch);
        await _renewing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Takes the lease if it has expired; its new epoch, or null when another silo holds it.</summary>
    private async Task<long?> TryTakeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var take = new NpgsqlCommand("""
            UPDATE ingest_lease SET owner = @owner, epoch = epoch + 1, expires_at = clock_timestamp() + @lease
            WHERE id = 1 AND expires_at < clock_timestamp()
            RETURNING epoch;
            """, connection);
        take.Parameters.AddWithValue("owner", Owner);
        take.Parameters.AddWithValue("lease", _lease);
        return await take.ExecuteScalarAsync(cancellationToken) is long epoch ? epoch : null;
    }

    /// <summary>Renews the lease every third of its length while it is ours; ends the term when it is not, or could not be renewed in time.</summary>
    private async Task RenewAsync(long epoch, CancellationTokenSource term, CancellationToken stoppingToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, term.Token);
        var renewedAt = TimeProvider.System.GetTimestamp();
        try
        {
            while (true)
            {
                await Task.Delay(_lease / 3, stopping.Token);
                try
                {
                    await using var connection = await database.OpenAsync(stopping.Token);
                    if (!await RenewAsync(connection, null, epoch, stopping.Token))
                    {
                        logger.LogWarning("This silo ({Owner}) lost the ingest aggregation lease (epoch {Epoch}): another silo took it over", Owner, epoch);
                        Lost(epoch);
                        return;
                    }

                    renewedAt = TimeProvider.System.GetTimestamp();
                }
                catch (NpgsqlException ex)
                {
                    // Not renewed for a whole lease: another silo may hold it by now. Stop before it
                    // records anything (the fence would refuse it anyway).
                    if (TimeProvider.System.GetElapsedTime(renewedAt) >= _lease)
                    {
                        logger.LogWarning(ex, "This silo ({Owner}) could not renew the ingest aggregation lease (epoch {Epoch}) in time; it stops aggregating", Owner, epoch);
                        Lost(epoch);
                        return;
                    }

                    logger.LogWarning(ex, "Could not renew the ingest aggregation lease (epoch {Epoch}); trying again", epoch);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<bool> RenewAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long epoch, CancellationToken cancellationToken)
    {
        await using var renew = new NpgsqlCommand(
            "UPDATE ingest_lease SET expires_at = clock_timestamp() + @lease WHERE id = 1 AND epoch = @epoch;", connection, transaction);
        renew.Parameters.AddWithValue("lease", _lease);
        renew.Parameters.AddWithValue("epoch", epoch);
        return await renew.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Ends the term of <paramref name="epoch"/> (once; a later term is left alone).</summary>
    private void Lost(long epoch)
    {
        CancellationTokenSource? term;
        lock (_gate)
        {
            if (epoch == 0 || Volatile.Read(ref _epoch) != epoch)
            {
                return;
            }

            (term, _term) = (_term, null);
            Volatile.Write(ref _epoch, 0);
        }

        term?.Cancel();
    }
}
