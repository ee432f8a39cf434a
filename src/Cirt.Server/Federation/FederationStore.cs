using Cirt.Grains.Partners;
using Cirt.Server.Storage;
using Cirt.Server.Taxii;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Federation;

/// <summary>
/// The exchange with partner CIRTs in SQLite (data/federation.db; the embedded and memory profiles):
/// see <see cref="IFederationStore"/>. A file of its own: SQLite has one writer per file, and
/// deliveries must not wait behind the grain state's writes. Every write goes through the file's one
/// writer slot and is on disk (synchronous = FULL) before it returns. One process has the file, so
/// delivery claims left by an earlier process are dropped when the file is opened.
/// </summary>
public sealed class FederationStore(SqliteDatabase database) : IFederationStore, IDisposable
{
    /// <summary>Refusals kept: the newest ones; older rows go as new ones come, so a flood cannot fill the disk.</summary>
    public const int RefusalsKept = 100_000;

    private const string OutboxColumns = """
        id, message_id, partner_id, kind, item_id, item_version, action, note_key, state, sequence, attempts, queued_at, queued_by,
        delivered_at, last_error, last_error_at, next_attempt_at, payload, payload_digest, findings, decided_by, discard_reason,
        receipt, receipt_signature, receipt_key
        """;

    /// <summary>What a TAXII collection holds: messages queued or delivered (never held, failed or discarded).</summary>
    private const string Sendable = "o.state IN (2, 3)";

    private long _refusalsRecorded;

    public SqliteDatabase Database { get; } = database;

    /// <summary>The store in federation.db under <paramref name="directory"/>, its schema applied.</summary>
    public static FederationStore Create(string directory)
    {
        var database = new SqliteDatabase(Path.Combine(directory, "federation.db"));
        database.Migrate(Scripts);
        DropClaims(database);
        return new FederationStore(database);
    }

    /// <summary>The store in memory, for the Memory profile: gone with the process.</summary>
    public static FederationStore CreateInMemory()
    {
        var database = SqliteDatabase.InMemory("federation");
        database.Migrate(Scripts);
        return new FederationStore(database);
    }

    /// <summary>Claims are held by dispatchers of this process only: the ones an earlier process left are dead.</summary>
    private static void DropClaims(SqliteDatabase database)
    {
        using var connection = database.OpenAsync().GetAwaiter().GetResult();
        using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM delivery_claim;";
        delete.ExecuteNonQuery();
    }

    private static string Scripts => Path.Combine(AppContext.BaseDirectory, "sql", "sqlite", "federation");

    public void Dispose() => Database.Dispose();

    /// <inheritdoc/>
    public Task<OutboxEntry> EnqueueAsync(NewOutboxMessage message, CancellationToken cancellationToken = default) => Database.WriteAsync(async () =>
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using (var insert = connection.CreateCommand())
        {
            insert.CommandText = """
                INSERT INTO outbox (message_id, partner_id, kind, item_id, item_version, action, note_key, state, queued_at, queued_by, payload, payload_digest, findings)
                VALUES ($messageId, $partner, $kind, $item, $version, $action, $note, $state, $at, $by, $payload, $digest, $findings)
                ON CONFLICT (partner_id, kind, item_id, item_version, action, note_key) DO NOTHING;
                """;
            var p = insert.Parameters;
            p.AddWithValue("$messageId", Guid.NewGuid().ToString("D"));
            p.AddWithValue("$partner", message.PartnerId);
            p.AddWithValue("$kind", (int)message.Kind);
            p.AddWithValue("$item", message.ItemId);
            p.AddWithValue("$version", message.ItemVersion);
            p.AddWithValue("$action", (int)message.Action);
            p.AddWithValue("$note", message.NoteKey);
            p.AddWithValue("$state", (int)message.State);
            p.AddWithValue("$at", message.QueuedAt.ToUnixTimeMilliseconds());
            p.AddWithValue("$by", message.QueuedBy);
            p.AddWithValue("$payload", message.Payload);
            p.AddWithValue("$digest", message.PayloadDigest);
            p.AddWithValue("$findings", message.Findings);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var select = connection.CreateCommand();
        select.CommandText = $"""
            SELECT {OutboxColumns} FROM outbox
            WHERE partner_id = $partner AND kind = $kind AND item_id = $item AND item_version = $version AND action = $action AND note_key = $note;
            """;
        select.Parameters.AddWithValue("$partner", message.PartnerId);
        select.Parameters.AddWithValue("$kind", (int)message.Kind);
        select.Parameters.AddWithValue("$item", message.ItemId);
        select.Parameters.AddWithValue("$version", message.ItemVersion);
        select.Parameters.AddWithValue("$action", (int)message.Action);
        select.Parameters.AddWithValue("$note", message.NoteKey);
        return (await ReadOutboxAsync(select, cancellationToken)).Single();
    });

    /// <inheritdoc/>
    public async Task<OutboxEntry?> GetAsync(string messageId, CancellationToken cancellationToken = default)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {OutboxColumns} FROM outbox WHERE message_id = $id;";
        select.Parameters.AddWithValue("$id", messageId);
        return (await ReadOutboxAsync(select, cancellationToken)).SingleOrDefault();
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, OutboxState>> StatesAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default)
    {
        var states = new Dictionary<string, OutboxState>(StringComparer.Ordinal);
        if (messageIds.Count == 0)
        {
            return states;
        }

        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT message_id, state FROM outbox WHERE message_id = $id;";
        var id = select.Parameters.Add("$id", SqliteType.Text);
        foreach (var messageId in messageIds.Distinct(StringComparer.Ordinal))
        {
            id.Value = messageId;
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                states[reader.GetString(0)] = (OutboxState)reader.GetInt32(1);
            }
        }

        return states;
    }

    /// <inheritdoc/>
    public async Task<StorePage<OutboxEntry>> ListOutboxAsync(string? partnerId, OutboxState? state, int pageSize, long before, CancellationToken cancellationToken = default)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        var where = "WHERE ($before = 0 OR id < $before)";
        if (partnerId is not null)
        {
            where += " AND partner_id = $partner";
            select.Parameters.AddWithValue("$partner", partnerId);
        }

        if (state is not null)
        {
            where += " AND state = $state";
            select.Parameters.AddWithValue("$state", (int)state);
        }

        select.CommandText = $"SELECT {OutboxColumns} FROM outbox {where} ORDER BY id DESC LIMIT $limit;";
        select.Parameters.AddWithValue("$before", before);
        select.Parameters.AddWithValue("$limit", pageSize + 1);
        return Page(await ReadOutboxAsync(select, cancellationToken), pageSize, e => e.Position);
    }

    /// <inheritdoc/>
    public async Task<OutboxEntry?> NextQueuedAsync(string partnerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {OutboxColumns} FROM outbox WHERE partner_id = $partner AND state = $queued ORDER BY id LIMIT 1;";
        select.Parameters.AddWithValue("$partner", partnerId);
        select.Parameters.AddWithValue("$queued", (int)OutboxState.Queued);
        return (await ReadOutboxAsync(select, cancellationToken)).SingleOrDefault();
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> PartnersWithQueuedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT DISTINCT partner_id FROM outbox WHERE state = $queued;";
        select.Parameters.AddWithValue("$queued", (int)OutboxState.Queued);
        var partners = new List<string>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            partners.Add(reader.GetString(0));
        }

        return partners;
    }

    /// <inheritdoc/>
    public Task<DeliveryClaim> ClaimDeliveryAsync(string partnerId, string holder, TimeSpan lease, CancellationToken cancellationToken = default) =>
        Database.WriteAsync(async () =>
        {
            var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
            await using var connection = await Database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO delivery_claim (partner_id, holder, fence, expires_at) VALUES ($partner, $holder, 1, $until)
                ON CONFLICT (partner_id) DO UPDATE SET
                    fence = CASE WHEN holder = excluded.holder THEN fence ELSE fence + 1 END,
                    holder = excluded.holder, expires_at = excluded.expires_at
                WHERE holder = excluded.holder OR expires_at <= $now;
                SELECT partner_id, holder, fence, expires_at FROM delivery_claim WHERE partner_id = $partner;
                """;
            command.Parameters.AddWithValue("$partner", partnerId);
            command.Parameters.AddWithValue("$holder", holder);
            command.Parameters.AddWithValue("$now", now);
            command.Parameters.AddWithValue("$until", now + (long)lease.TotalMilliseconds);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return new DeliveryClaim(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
        });

    /// <inheritdoc/>
    public Task ReleaseDeliveryAsync(DeliveryClaim claim, CancellationToken cancellationToken = default) =>
        UpdateAsync("UPDATE delivery_claim SET expires_at = 0 WHERE partner_id = $partner AND holder = $holder AND fence = $fence;",
            cancellationToken, ("$partner", claim.PartnerId), ("$holder", claim.Holder), ("$fence", claim.Fence));

    /// <inheritdoc/>
    public Task<long?> AssignSequenceAsync(DeliveryClaim claim, string messageId, CancellationToken cancellationToken = default) => Database.WriteAsync(async () =>
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT partner_id, sequence FROM outbox WHERE message_id = $id AND partner_id = $partner AND {Fenced};";
        command.Parameters.AddWithValue("$id", messageId);
        AddClaim(command, claim);
        string partnerId;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return await ExistsAsync(connection, transaction, messageId, cancellationToken)
                    ? (long?)null
                    : throw new InvalidOperationException($"Outbox message {messageId} does not exist.");
            }

            if (reader.GetInt64(1) is var given and > 0)
            {
                return given;
            }

            partnerId = reader.GetString(0);
        }

        command.CommandText = """
            INSERT INTO outbox_sequence (partner_id, last_sequence) VALUES ($partner, 1)
            ON CONFLICT (partner_id) DO UPDATE SET last_sequence = last_sequence + 1
            RETURNING last_sequence;
            """;
        var sequence = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        command.CommandText = "UPDATE outbox SET sequence = $sequence WHERE message_id = $id;";
        command.Parameters.AddWithValue("$sequence", sequence);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return sequence;
    });

    /// <inheritdoc/>
    public Task<bool> RecordFailedAttemptAsync(DeliveryClaim claim, string messageId, int attempts, string error, DateTimeOffset at, DateTimeOffset nextAttemptAt,
        CancellationToken cancellationToken = default) =>
        UpdateAsync($"""
            UPDATE outbox SET attempts = attempts + $attempts, last_error = $error, last_error_at = $at, next_attempt_at = $next
            WHERE message_id = $id AND state = 2 AND partner_id = $partner AND {Fenced};
            """, cancellationToken, [("$id", messageId), ("$attempts", attempts), ("$error", error), ("$at", at.ToUnixTimeMilliseconds()),
            ("$next", nextAttemptAt.ToUnixTimeMilliseconds()), .. ClaimParameters(claim)]);

    /// <inheritdoc/>
    public Task<bool> MarkFailedAsync(DeliveryClaim claim, string messageId, int attempts, string error, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        UpdateAsync($"""
            UPDATE outbox SET state = 4, attempts = attempts + $attempts, last_error = $error, last_error_at = $at, next_attempt_at = 0
            WHERE message_id = $id AND state = 2 AND partner_id = $partner AND {Fenced};
            """, cancellationToken, [("$id", messageId), ("$attempts", attempts), ("$error", error), ("$at", at.ToUnixTimeMilliseconds()), .. ClaimParameters(claim)]);

    /// <inheritdoc/>
    public Task<bool> MarkDeliveredAsync(DeliveryClaim claim, OutboxEntry message, int attempts, string receipt, byte[] signature, string receiptKey, DateTimeOffset at,
        CancellationToken cancellationToken = default) => Database.WriteAsync(async () =>
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            UPDATE outbox SET state = 3, attempts = attempts + $attempts, delivered_at = $at, next_attempt_at = 0,
                receipt = $receipt, receipt_signature = $signature, receipt_key = $key
            WHERE message_id = $id AND state = 2 AND partner_id = $partner AND {Fenced};
            """;
        var p = command.Parameters;
        p.AddWithValue("$id", message.MessageId);
        p.AddWithValue("$attempts", attempts);
        p.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        p.AddWithValue("$receipt", receipt);
        p.AddWithValue("$signature", signature);
        p.AddWithValue("$key", receiptKey);
        p.AddWithValue("$bytes", System.Text.Encoding.UTF8.GetByteCount(message.Payload));
        AddClaim(command, claim);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return false;
        }

        command.CommandText = """
            INSERT INTO egress (message_id, partner_id, kind, item_id, item_version, action, payload, payload_digest, payload_bytes, sent_at, queued_by, approved_by)
            SELECT message_id, partner_id, kind, item_id, item_version, action, payload, payload_digest, $bytes, $at, queued_by, decided_by
            FROM outbox WHERE message_id = $id;
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    });

    /// <inheritdoc/>
    public Task<bool> ApproveAsync(string messageId, string actor, CancellationToken cancellationToken = default) =>
        UpdateAsync("UPDATE outbox SET state = 2, decided_by = $actor, next_attempt_at = 0 WHERE message_id = $id AND state = 1;",
            cancellationToken, ("$id", messageId), ("$actor", actor));

    /// <inheritdoc/>
    public Task<bool> DiscardAsync(string messageId, string reason, string actor, CancellationToken cancellationToken = default) =>
        UpdateAsync("UPDATE outbox SET state = 5, decided_by = $actor, discard_reason = $reason WHERE message_id = $id AND state = 1;",
            cancellationToken, ("$id", messageId), ("$actor", actor), ("$reason", reason));

    /// <inheritdoc/>
    public async Task<DeliveryCounts> CountsAsync(string partnerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var snapshot = connection.BeginTransaction(deferred: true);
        await using var select = connection.CreateCommand();
        select.Transaction = snapshot;
        select.CommandText = """
            SELECT state, count(*) FROM outbox WHERE partner_id = $partner GROUP BY state;
            SELECT last_error, last_error_at FROM outbox WHERE partner_id = $partner AND last_error_at IS NOT NULL ORDER BY last_error_at DESC, id DESC LIMIT 1;
            SELECT max(delivered_at) FROM outbox WHERE partner_id = $partner;
            SELECT next_attempt_at FROM outbox WHERE partner_id = $partner AND state = 2 ORDER BY id LIMIT 1;
            """;
        select.Parameters.AddWithValue("$partner", partnerId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<OutboxState, long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[(OutboxState)reader.GetInt32(0)] = reader.GetInt64(1);
        }

        await reader.NextResultAsync(cancellationToken);
        var (lastError, lastErrorAt) = ("", (DateTimeOffset?)null);
        if (await reader.ReadAsync(cancellationToken))
        {
            (lastError, lastErrorAt) = (reader.GetString(0), Time(reader, 1));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var lastDelivered = Time(reader, 0);
        await reader.NextResultAsync(cancellationToken);
        var nextAttempt = await reader.ReadAsync(cancellationToken) && reader.GetInt64(0) > 0 ? Time(reader, 0) : null;
        return new DeliveryCounts(counts.GetValueOrDefault(OutboxState.Queued), counts.GetValueOrDefault(OutboxState.Held),
            counts.GetValueOrDefault(OutboxState.Delivered), counts.GetValueOrDefault(OutboxState.Failed),
            lastError, lastErrorAt, lastDelivered, nextAttempt);
    }

    /// <inheritdoc/>
    public async Task<StorePage<EgressEntry>> ListEgressAsync(string? partnerId, int pageSize, long before, CancellationToken cancellationToken = default)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = $"""
            SELECT id, message_id, partner_id, kind, item_id, item_version, action, payload, payload_digest, payload_bytes, sent_at, queued_by, approved_by
            FROM egress WHERE ($before = 0 OR id < $before) {(partnerId is null ? "" : "AND partner_id = $partner")}
            ORDER BY id DESC LIMIT $limit;
            """;
        select.Parameters.AddWithValue("$before", before);
        select.Parameters.AddWithValue("$limit", pageSize + 1);
        if (partnerId is not null)
        {
            select.Parameters.AddWithValue("$partner", partnerId);
        }

        var rows = new List<EgressEntry>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new EgressEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), (SharedItemKind)reader.GetInt32(3), reader.GetString(4),
                reader.GetInt64(5), (ShareAction)reader.GetInt32(6), reader.GetString(7), reader.GetString(8), reader.GetInt64(9),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10)), reader.GetString(11), reader.GetString(12)));
        }

        return Page(rows, pageSize, e => e.Position);
    }

    /// <inheritdoc/>
    public async Task<InboundReceipt?> FindInboundAsync(string partnerId, string messageId, CancellationToken cancellationToken = default)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT message_id, sequence, payload_digest, receipt, receipt_signature, receipt_key FROM inbound WHERE partner_id = $partner AND message_id = $id;";
        select.Parameters.AddWithValue("$partner", partnerId);
        select.Parameters.AddWithValue("$id", messageId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? ReadInbound(reader)
            : null;
    }

    /// <inheritdoc/>
    public async Task<long> LastInboundSequenceAsync(string partnerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT last_sequence FROM inbound_sequence WHERE partner_id = $partner;";
        select.Parameters.AddWithValue("$partner", partnerId);
        return await select.ExecuteScalarAsync(cancellationToken) is long last ? last : 0;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<InboundReceipt>> InboundOfAsync(string partnerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT message_id, sequence, payload_digest, receipt, receipt_signature, receipt_key FROM inbound WHERE partner_id = $partner ORDER BY id;";
        select.Parameters.AddWithValue("$partner", partnerId);
        var rows = new List<InboundReceipt>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(ReadInbound(reader));
        }

        return rows;
    }

    /// <inheritdoc/>
    public Task<InboundReceipt> RecordInboundAsync(string partnerId, InboundReceipt accepted, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Database.WriteAsync(async () =>
        {
            await using var connection = await Database.OpenAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO inbound (partner_id, message_id, sequence, payload_digest, receipt, receipt_signature, receipt_key, received_at)
                VALUES ($partner, $id, $sequence, $digest, $receipt, $signature, $key, $at)
                ON CONFLICT (partner_id, message_id) DO NOTHING;
                INSERT INTO inbound_sequence (partner_id, last_sequence) VALUES ($partner, $sequence)
                ON CONFLICT (partner_id) DO UPDATE SET last_sequence = max(last_sequence, excluded.last_sequence);
                SELECT message_id, sequence, payload_digest, receipt, receipt_signature, receipt_key FROM inbound WHERE partner_id = $partner AND message_id = $id;
                """;
            var p = command.Parameters;
            p.AddWithValue("$partner", partnerId);
            p.AddWithValue("$id", accepted.MessageId);
            p.AddWithValue("$sequence", accepted.Sequence);
            p.AddWithValue("$digest", accepted.PayloadDigest);
            p.AddWithValue("$receipt", accepted.Receipt);
            p.AddWithValue("$signature", accepted.Signature);
            p.AddWithValue("$key", accepted.ReceiptKey);
            p.AddWithValue("$at", at.ToUnixTimeMilliseconds());
            InboundReceipt stored;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                stored = ReadInbound(reader);
            }

            await transaction.CommitAsync(cancellationToken);
            return stored;
        });

    /// <inheritdoc/>
    public Task RecordRefusalAsync(InboundRefusalEntry refusal, CancellationToken cancellationToken = default) => Database.WriteAsync(async () =>
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO inbound_refusal (at, claimed_sender, key_partner_id, message_id, status, reason)
            VALUES ($at, $sender, $keyPartner, $id, $status, $reason);
            """;
        var p = command.Parameters;
        p.AddWithValue("$at", refusal.At.ToUnixTimeMilliseconds());
        p.AddWithValue("$sender", refusal.ClaimedSender);
        p.AddWithValue("$keyPartner", refusal.KeyPartnerId);
        p.AddWithValue("$id", refusal.MessageId);
        p.AddWithValue("$status", refusal.Status);
        p.AddWithValue("$reason", refusal.Reason);
        if (Interlocked.Increment(ref _refusalsRecorded) % 1_000 == 0)
        {
            command.CommandText += $" DELETE FROM inbound_refusal WHERE id <= (SELECT max(id) FROM inbound_refusal) - {RefusalsKept};";
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    });

    /// <inheritdoc/>
    public async Task<StorePage<InboundRefusalEntry>> ListRefusalsAsync(int pageSize, long before, CancellationToken cancellationToken = default)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = """
            SELECT id, at, claimed_sender, key_partner_id, message_id, status, reason FROM inbound_refusal
            WHERE ($before = 0 OR id < $before) ORDER BY id DESC LIMIT $limit;
            """;
        select.Parameters.AddWithValue("$before", before);
        select.Parameters.AddWithValue("$limit", pageSize + 1);
        var rows = new List<InboundRefusalEntry>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new InboundRefusalEntry(reader.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetString(2),
                reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6)));
        }

        return Page(rows, pageSize, r => r.Position);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<LedgerEntry>> CollectionAsync(string partnerId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (await HasUndatedAsync(partnerId, cancellationToken))
        {
            await DateNewAsync(partnerId, now, cancellationToken);
        }

        await using var connection = await Database.OpenAsync(cancellationToken);
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
                reader.GetString(0), CollectionDates.FromMicroseconds(reader.GetInt64(1)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                (SharedItemKind)reader.GetInt32(3), reader.GetString(4), reader.GetInt64(5), (ShareAction)reader.GetInt32(6)));
        }

        return entries;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, string>> PayloadsAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default)
    {
        var payloads = new Dictionary<string, string>(StringComparer.Ordinal);
        if (messageIds.Count == 0)
        {
            return payloads;
        }

        await using var connection = await Database.OpenAsync(cancellationToken);
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

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> RecordServedAsync(string partnerId, string keyId, IReadOnlyCollection<string> messageIds, DateTimeOffset at,
        CancellationToken cancellationToken = default)
    {
        var first = new List<string>();
        await using (var connection = await Database.OpenAsync(cancellationToken))
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

        return await Database.WriteAsync(async () =>
        {
            await using var connection = await Database.OpenAsync(cancellationToken);
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
            insert.Parameters.AddWithValue("$at", CollectionDates.ToMicroseconds(at));
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
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = $"""
            SELECT EXISTS (SELECT 1 FROM outbox o LEFT JOIN taxii_added t ON t.message_id = o.message_id
                           WHERE o.partner_id = $partner AND {Sendable} AND t.message_id IS NULL);
            """;
        select.Parameters.AddWithValue("$partner", partnerId);
        return (long)(await select.ExecuteScalarAsync(cancellationToken))! == 1;
    }

    /// <summary>Dates the partner's sendable messages not yet in its collection, in queue order, after the last date given.</summary>
    private Task DateNewAsync(string partnerId, DateTimeOffset now, CancellationToken cancellationToken) => Database.WriteAsync(async () =>
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
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

        command.CommandText = "INSERT INTO taxii_added (message_id, partner_id, date_added) VALUES ($id, $partner, $added);";
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var added = command.Parameters.Add("$added", SqliteType.Integer);
        foreach (var (messageId, date) in CollectionDates.DatesAdded(undated, last, now))
        {
            id.Value = messageId;
            added.Value = date;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    });

    /// <summary>The outbox row is written only while the claim it was read under is still the partner's.</summary>
    private const string Fenced = "EXISTS (SELECT 1 FROM delivery_claim c WHERE c.partner_id = $partner AND c.holder = $holder AND c.fence = $fence)";

    private static (string Name, object Value)[] ClaimParameters(DeliveryClaim claim) =>
        [("$partner", claim.PartnerId), ("$holder", claim.Holder), ("$fence", claim.Fence)];

    private static void AddClaim(SqliteCommand command, DeliveryClaim claim)
    {
        foreach (var (name, value) in ClaimParameters(claim))
        {
            command.Parameters.AddWithValue(name, value);
        }
    }

    private static async Task<bool> ExistsAsync(SqliteConnection connection, SqliteTransaction transaction, string messageId, CancellationToken cancellationToken)
    {
        await using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = "SELECT EXISTS (SELECT 1 FROM outbox WHERE message_id = $id);";
        select.Parameters.AddWithValue("$id", messageId);
        return (long)(await select.ExecuteScalarAsync(cancellationToken))! == 1;
    }

    private Task<bool> UpdateAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters) => Database.WriteAsync(async () =>
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    });

    /// <summary>The first <paramref name="pageSize"/> rows (one more was read to know whether a next page exists).</summary>
    private static StorePage<T> Page<T>(List<T> rows, int pageSize, Func<T, long> position) =>
        rows.Count > pageSize ? new StorePage<T>(rows.Take(pageSize).ToArray(), position(rows[pageSize - 1])) : new StorePage<T>(rows, 0);

    private static async Task<List<OutboxEntry>> ReadOutboxAsync(SqliteCommand select, CancellationToken cancellationToken)
    {
        var rows = new List<OutboxEntry>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new OutboxEntry(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), (SharedItemKind)reader.GetInt32(3), reader.GetString(4), reader.GetInt64(5),
                (ShareAction)reader.GetInt32(6), reader.GetString(7), (OutboxState)reader.GetInt32(8), reader.GetInt64(9), reader.GetInt32(10),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(11)), reader.GetString(12), Time(reader, 13), reader.GetString(14), Time(reader, 15),
                reader.GetInt64(16) > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(16)) : null,
                reader.GetString(17), reader.GetString(18), reader.GetString(19), reader.GetString(20), reader.GetString(21), reader.GetString(22),
                reader.IsDBNull(23) ? null : (byte[])reader.GetValue(23), reader.GetString(24)));
        }

        return rows;
    }

    private static InboundReceipt ReadInbound(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), (byte[])reader.GetValue(4), reader.GetString(5));

    private static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
