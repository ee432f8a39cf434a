using Cirt.Grains.Common;
using Cirt.Grains.Partners;
using Cirt.Server.Federation;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Taxii;

/// <summary>
/// What each partner's collection holds: the partner's outbox messages that the sharing policy let
/// through and that are sendable (queued or delivered; never held, failed or discarded), each with
/// the date it entered the collection (table taxii_added in federation.db). That date is given once:
/// a message queued directly enters at its queue time; one approved after it was held enters when
/// the server first sees it approved (the outbox does not record when it was approved, and a later
/// date is the safe side). Either way never before a date already given in the collection, so that
/// <c>added_after</c> the last date a client saw, or a <c>next</c> token, misses nothing added later.
/// It also records what left through TAXII: when a partner's key first read each message's objects.
/// </summary>
public sealed class CollectionLedger(FederationStore store, CirtClock clock)
{
    private const string Sendable = "o.state IN (2, 3)";

    /// <summary>The partner's sendable messages in collection order (date added, then message id), dating the ones new to it first; their payloads come from <see cref="PayloadsAsync"/>.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> ReadAsync(string partnerId, CancellationToken cancellationToken)
    {
        if (await HasUndatedAsync(partnerId, cancellationToken))
        {
            await DateNewAsync(partnerId, cancellationToken);
        }

        await using var connection = await store.Database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = $"""
            SELECT o.message_id, t.date_added, o.queued_at, o.kind, o.item_id, o.item_version, o.action
            FROM taxii_added t JOIN outbox o ON o.message_id = t.message_id
            WHERE t.partner_id = $partner AND {Sendable}
            ORDER BY t.date_added, o.message_id;
            """;
        select.Parameters.AddWithValue("$partner", partnerId);
        var entries = new List<LedgerEntry>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new LedgerEntry(
                reader.GetString(0), FromMicroseconds(reader.GetInt64(1)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                (SharedItemKind)reader.GetInt32(3), reader.GetString(4), reader.GetInt64(5), (ShareAction)reader.GetInt32(6)));
        }

        return entries;
    }

    /// <summary>The payloads of <paramref name="messageIds"/> (canonical JSON: exactly what the sharing policy let leave), by message id.</summary>
    public async Task<IReadOnlyDictionary<string, string>> PayloadsAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        var payloads = new Dictionary<string, string>(StringComparer.Ordinal);
        if (messageIds.Count == 0)
        {
            return payloads;
        }

        await using var connection = await store.Database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT payload FROM outbox WHERE message_id = $id;";
        var id = select.Parameters.Add("$id", SqliteType.Text);
        foreach (var messageId in messageIds)
        {
            id.Value = messageId;
            if (await select.ExecuteScalarAsync(cancellationToken) is string payload)
            {
                payloads[messageId] = payload;
            }
        }

        return payloads;
    }

    /// <summary>
    /// Records that <paramref name="keyId"/> of <paramref name="partnerId"/> has read the objects of
    /// <paramref name="messageIds"/> (table taxii_served: what left through TAXII, and when first);
    /// returns the messages read for the first time.
    /// </summary>
    public async Task<IReadOnlyList<string>> RecordServedAsync(string partnerId, string keyId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        var first = new List<string>();
        await using (var connection = await store.Database.OpenAsync(cancellationToken))
        await using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT EXISTS (SELECT 1 FROM taxii_served WHERE message_id = $id);";
            var id = select.Parameters.Add("$id", SqliteType.Text);
            foreach (var messageId in messageIds)
            {
                id.Value = messageId;
                if ((long)(await select.ExecuteScalarAsync(cancellationToken))! == 0)
                {
                    first.Add(messageId);
                }
            }
        }

        if (first.Count == 0)
        {
            return first;
        }

        var at = ToMicroseconds(clock.GetUtcNow());
        return await store.Database.WriteAsync(async () =>
        {
            await using var connection = await store.Database.OpenAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO taxii_served (message_id, partner_id, key_id, served_at) VALUES ($id, $partner, $key, $at)
                ON CONFLICT (message_id) DO NOTHING;
                """;
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            insert.Parameters.AddWithValue("$partner", partnerId);
            insert.Parameters.AddWithValue("$key", keyId);
            insert.Parameters.AddWithValue("$at", at);
            var recorded = new List<string>();
            foreach (var messageId in first)
            {
                id.Value = messageId;
                if (await insert.ExecuteNonQueryAsync(cancellationToken) > 0)
                {
                    recorded.Add(messageId);
                }
            }

            await transaction.CommitAsync(cancellationToken);
            return (IReadOnlyList<string>)recorded;
        });
    }

    private async Task<bool> HasUndatedAsync(string partnerId, CancellationToken cancellationToken)
    {
        await using var connection = await store.Database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = $"""
            SELECT EXISTS (SELECT 1 FROM outbox o LEFT JOIN taxii_added t ON t.message_id = o.message_id
                           WHERE o.partner_id = $partner AND {Sendable} AND t.message_id IS NULL);
            """;
        select.Parameters.AddWithValue("$partner", partnerId);
        return (long)(await select.ExecuteScalarAsync(cancellationToken))! == 1;
    }

    /// <summary>Dates the partner's sendable messages not yet in its collection, in queue order, after the last date given.</summary>
    private Task DateNewAsync(string partnerId, CancellationToken cancellationToken) => store.Database.WriteAsync(async () =>
    {
        await using var connection = await store.Database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT coalesce(max(date_added), 0) FROM taxii_added WHERE partner_id = $partner;";
        command.Parameters.AddWithValue("$partner", partnerId);
        var last = (long)(await command.ExecuteScalarAsync(cancellationToken))!;

        command.CommandText = $"""
            SELECT o.message_id, o.queued_at, o.decided_by FROM outbox o LEFT JOIN taxii_added t ON t.message_id = o.message_id
            WHERE o.partner_id = $partner AND {Sendable} AND t.message_id IS NULL
            ORDER BY o.id;
            """;
        var undated = new List<(string MessageId, long QueuedAtMilliseconds, bool Approved)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                undated.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2).Length > 0));
            }
        }

        var now = ToMicroseconds(clock.GetUtcNow());
        command.CommandText = "INSERT INTO taxii_added (message_id, partner_id, date_added) VALUES ($id, $partner, $added);";
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var added = command.Parameters.Add("$added", SqliteType.Integer);
        foreach (var message in undated)
        {
            var sendableAt = message.Approved ? now : message.QueuedAtMilliseconds * 1_000;
            last = Math.Max(sendableAt, last + 1);
            id.Value = message.MessageId;
            added.Value = last;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    });

    private static long ToMicroseconds(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static DateTimeOffset FromMicroseconds(long microseconds) => DateTimeOffset.UnixEpoch.AddTicks(microseconds * 10);
}
