using Cirt.Grains.Common;
using Cirt.Grains.Ingest;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Ingest;

/// <summary>
/// The embedded profile's <see cref="IIngestStateStore"/>: every read and write of what the aggregator made of the log (data/ingest-state.db): where it got
/// to, its pass records (resend runs, duplicate-window runs, unmatched events, totals per feed) and
/// the reads the stats and unmatched-events RPCs make of them. Only the aggregator writes.
/// </summary>
public sealed class SqliteIngestStateStore(IngestDatabase ingestDatabase, CirtClock clock) : IIngestStateStore
{
    /// <summary>Where the aggregator resumes; fills the resend and duplicate windows from their runs.</summary>
    public async Task<IngestProgress> LoadAsync(ResendWindow resends, DuplicateWindow duplicates, CancellationToken cancellationToken)
    {
        await using var connection = await ingestDatabase.State.OpenAsync(cancellationToken);
        long aggregated, pending;
        await using (var progress = connection.CreateCommand())
        {
            progress.CommandText = "SELECT aggregated_seq, pending_seq FROM ingest_progress WHERE id = 1;";
            await using var reader = await progress.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (aggregated, pending) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        await ResendRuns.LoadAsync(connection, resends, cancellationToken);
        var targets = await TargetRuns.LoadAsync(connection, duplicates, cancellationToken);
        return new IngestProgress(aggregated, pending, targets);
    }

    /// <summary>
    /// Notes the end of the pass about to update incidents: a pass resumed after a crash covers
    /// exactly the same batches (incidents ignore what they already counted; a larger pass would
    /// count twice).
    /// </summary>
    public async Task MarkPendingAsync(long upTo, CancellationToken cancellationToken)
    {
        await using var connection = await ingestDatabase.State.OpenAsync(cancellationToken);
        await using var pending = connection.CreateCommand();
        pending.CommandText = "UPDATE ingest_progress SET pending_seq = $seq WHERE id = 1;";
        pending.Parameters.AddWithValue("$seq", upTo);
        await pending.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Records a pass in one transaction, its position last, once <paramref name="incidentsWritten"/>
    /// completed: a pass is recorded whole or not at all, and only after its incidents are updated.
    /// </summary>
    public async Task RecordAsync(PassRecord pass, Task incidentsWritten, CancellationToken cancellationToken)
    {
        await using var connection = await ingestDatabase.State.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await ResendRuns.WriteAsync(connection, transaction, pass.UpTo, pass.Placement, pass.Fresh, clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        await TargetRuns.WriteAsync(connection, transaction, pass.UpTo, pass.Sightings, pass.SightingsReplaceRuns, cancellationToken);
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO ingest_unmatched (received_at, producer, feed, event) VALUES ($at, $producer, $feed, $event);";
            var at = insert.Parameters.Add("$at", SqliteType.Integer);
            var producer = insert.Parameters.Add("$producer", SqliteType.Text);
            var feed = insert.Parameters.Add("$feed", SqliteType.Text);
            var encoded = insert.Parameters.Add("$event", SqliteType.Blob);
            foreach (var unmatched in pass.Unmatched)
            {
                (at.Value, producer.Value, feed.Value, encoded.Value) = (unmatched.ReceivedAt, unmatched.Producer, unmatched.Feed, unmatched.Event);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using (var upsert = connection.CreateCommand())
        {
            upsert.Transaction = transaction;
            upsert.CommandText = """
                INSERT INTO ingest_feed_stats (feed, stored, duplicates, unmatched, resent, rejected, last_event_at)
                VALUES ($feed, $stored, $duplicates, $unmatched, $resent, $rejected, $last)
                ON CONFLICT (feed) DO UPDATE SET
                    stored = stored + excluded.stored, duplicates = duplicates + excluded.duplicates,
                    unmatched = unmatched + excluded.unmatched, resent = resent + excluded.resent,
                    rejected = rejected + excluded.rejected, last_event_at = max(last_event_at, excluded.last_event_at);
                """;
            foreach (var (feed, t) in pass.Totals)
            {
                upsert.Parameters.Clear();
                upsert.Parameters.AddWithValue("$feed", feed);
                upsert.Parameters.AddWithValue("$stored", t.Stored);
                upsert.Parameters.AddWithValue("$duplicates", t.Duplicates);
                upsert.Parameters.AddWithValue("$unmatched", t.Unmatched);
                upsert.Parameters.AddWithValue("$resent", t.Resent);
                upsert.Parameters.AddWithValue("$rejected", t.Rejected);
                upsert.Parameters.AddWithValue("$last", t.LastEventAt);
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await incidentsWritten;
        await using (var progress = connection.CreateCommand())
        {
            progress.Transaction = transaction;
            progress.CommandText = "UPDATE ingest_progress SET aggregated_seq = $seq, pending_seq = 0 WHERE id = 1;";
            progress.Parameters.AddWithValue("$seq", pass.UpTo);
            await progress.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The statement that reads the log position the aggregator has applied and recorded.</summary>
    public const string AppliedSeqSql = "SELECT aggregated_seq FROM ingest_progress WHERE id = 1;";

    /// <summary>The log position the aggregator has applied and recorded: every batch after it is still to be applied.</summary>
    public async Task<long> AppliedSeqAsync(CancellationToken cancellationToken)
    {
        await using var connection = await ingestDatabase.State.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = AppliedSeqSql;
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// The totals per feed and the position they count up to, from one read transaction (read apart,
    /// a pass recorded in between would show a backlog of zero beside totals that do not count it yet).
    /// </summary>
    public async Task<IngestTotals> TotalsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await ingestDatabase.State.OpenAsync(cancellationToken);
        await using var snapshot = connection.BeginTransaction(deferred: true);
        await using var command = connection.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = $"""
            SELECT feed, stored, duplicates, unmatched, resent, rejected, last_event_at FROM ingest_feed_stats ORDER BY feed;
            {AppliedSeqSql}
            """;
        var feeds = new List<(string, FeedTotals)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            feeds.Add((reader.GetString(0), new FeedTotals
            {
                Stored = reader.GetInt64(1),
                Duplicates = reader.GetInt64(2),
                Unmatched = reader.GetInt64(3),
                Resent = reader.GetInt64(4),
                Rejected = reader.GetInt64(5),
                LastEventAt = reader.GetInt64(6),
            }));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new IngestTotals(feeds, reader.GetInt64(0));
    }

    /// <summary>Unmatched events, newest first (of one feed when <paramref name="feed"/> is not empty), and how many there are.</summary>
    public async Task<UnmatchedPage> UnmatchedAsync(string feed, int offset, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await ingestDatabase.State.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = feed.Length > 0 ? "WHERE feed = $feed" : "";
        command.CommandText = $"""
            SELECT count(*) FROM ingest_unmatched {where};
            SELECT received_at, producer, feed, event FROM ingest_unmatched {where} ORDER BY id DESC LIMIT $limit OFFSET $offset;
            """;
        command.Parameters.AddWithValue("$feed", feed);
        command.Parameters.AddWithValue("$limit", limit);
        command.Parameters.AddWithValue("$offset", offset);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        var events = new List<UnmatchedEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new UnmatchedEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), (byte[])reader[3]));
        }

        return new UnmatchedPage(total, events);
    }
}
