using Cirt.Grains.Partners;
using Cirt.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Federation;

/// <summary>
/// Every read and write of the exchange with partner CIRTs (data/federation.db): the durable outbox
/// and its sequence numbers, the egress audit, the messages accepted from partners with the
/// receipts answered, and the deliveries refused. A file of its own: SQLite has one writer per
/// file, and deliveries must not wait behind the grain state's writes. Every write goes through the
/// file's one writer slot and is on disk (synchronous = FULL) before it returns.
/// </summary>
public sealed class FederationStore(SqliteDatabase database) : IDisposable
{
    /// <summary>Refusals kept: the newest ones; older rows go as new ones come, so a flood cannot fill the disk.</summary>
    public const int RefusalsKept = 100_000;

    private const string OutboxColumns = """
        id, message_id, partner_id, kind, item_id, item_version, action, note_key, state, sequence, attempts, queued_at, queued_by,
        delivered_at, last_error, last_error_at, next_attempt_at, payload, payload_digest, findings, decided_by, discard_reason,
        receipt, receipt_signature, receipt_key
        """;

    private long _refusalsRecorded;

    public SqliteDatabase Database { get; } = database;

    /// <summary>The store in federation.db under <paramref name="directory"/>, its schema applied.</summary>
    public static FederationStore Create(string directory)
    {
        var database = new SqliteDatabase(Path.Combine(directory, "federation.db"));
        database.Migrate(Scripts);
        return new FederationStore(database);
    }

    /// <summary>The store in memory, for the Memory profile: gone with the process.</summary>
    public static FederationStore CreateInMemory()
    {
        var database = SqliteDatabase.InMemory("federation");
        database.Migrate(Scripts);
        return new FederationStore(database);
    }

    private static string Scripts => Path.Combine(AppContext.BaseDirectory, "sql", "sqlite", "federation");

    public void Dispose() => Database.Dispose();

    /// <summary>
    /// Puts <paramref name="message"/> in the outbox with a new message id, unless a message of the
    /// same partner, item version, action and note is there already: then that one is returned as
    /// it stands, so asking twice queues once.
    /// </summary>
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

    public async Task<OutboxEntry?> GetAsync(string messageId, CancellationToken cancellationToken = default)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {OutboxColumns} FROM outbox WHERE message_id = $id;";
        select.Parameters.AddWithValue("$id", messageId);
        return (await ReadOutboxAsync(select, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Where each of <paramref name="messageIds"/> stands; ids not in the outbox are left out.</summary>
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

    /// <summary>Outbox messages newest first, of one partner and one state when given, before <paramref name="before"/> (0: from the newest).</summary>
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

    /// <summary>The partner's oldest queued message: the next to deliver, in queue order.</summary>
    public async Task<OutboxEntry?> NextQueuedAsync(string partnerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {OutboxColumns} FROM outbox WHERE partner_id = $partner AND state = $queued ORDER BY id LIMIT 1;";
        select.Parameters.AddWithValue("$partner", partnerId);
        select.Parameters.AddWithValue("$queued", (int)OutboxState.Queued);
        return (await ReadOutboxAsync(select, cancellationToken)).SingleOrDefault();
    }

    /// <summary>The partners with messages waiting for delivery.</summary>
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

    /// <summary>
    /// The message's place in its partner's sequence: given once, the next after the last given,
    /// and stored before the message is first sent, so that a resend carries the same number.
    /// </summary>
    public Task<long> AssignSequenceAsync(string messageId, CancellationToken cancellationToken = default) => Database.WriteAsync(async () =>
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT partner_id, sequence FROM outbox WHERE message_id = $id;";
        command.Parameters.AddWithValue("$id", messageId);
        string partnerId;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException($"Outbox message {messageId} does not exist.");
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
        command.Parameters.AddWithValue("$partner", partnerId);
        var sequence = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        command.CommandText = "UPDATE outbox SET sequence = $sequence WHERE message_id = $id;";
        command.Parameters.AddWithValue("$sequence", sequence);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return sequence;
    });

    /// <summary>A delivery that did not get through: the message stays queued and is tried again at <paramref name="nextAttemptAt"/>.</summary>
    public Task RecordFailedAttemptAsync(string messageId, int attempts, string error, DateTimeOffset at, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken = default) =>
        UpdateAsync("""
            UPDATE outbox SET attempts = attempts + $attempts, last_error = $error, last_error_at = $at, next_attempt_at = $next
            WHERE message_id = $id AND state = 2;
            """, cancellationToken, ("$id", messageId), ("$attempts", attempts), ("$error", error), ("$at", at.ToUnixTimeMilliseconds()),
            ("$next", nextAttemptAt.ToUnixTimeMilliseconds()));

    /// <summary>The partner refused the message for good: it is failed, with why, and the partner's next messages go on.</summary>
    public Task MarkFailedAsync(string messageId, int attempts, string error, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        UpdateAsync("""
            UPDATE outbox SET state = 4, attempts = attempts + $attempts, last_error = $error, last_error_at = $at, next_attempt_at = 0
            WHERE message_id = $id AND state = 2;
            """, cancellationToken, ("$id", messageId), ("$attempts", attempts), ("$error", error), ("$at", at.ToUnixTimeMilliseconds()));

    /// <summary>
    /// The partner acknowledged the message with a verified receipt: delivered, the receipt kept, and
    /// what left recorded in the egress audit, in one transaction.
    /// </summary>
    public Task MarkDeliveredAsync(OutboxEntry message, int attempts, string receipt, byte[] signature, string receiptKey, DateTimeOffset at,
        CancellationToken cancellationToken = default) => Database.WriteAsync(async () =>
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE outbox SET state = 3, attempts = attempts + $attempts, delivered_at = $at, next_attempt_at = 0,
                receipt = $receipt, receipt_signature = $signature, receipt_key = $key
            WHERE message_id = $id AND state = 2;
            INSERT INTO egress (message_id, partner_id, kind, item_id, item_version, action, payload, payload_digest, payload_bytes, sent_at, queued_by, approved_by)
            SELECT message_id, partner_id, kind, item_id, item_version, action, payload, payload_digest, $bytes, $at, queued_by, decided_by
            FROM outbox WHERE message_id = $id AND changes() > 0;
            """;
        var p = command.Parameters;
        p.AddWithValue("$id", message.MessageId);
        p.AddWithValue("$attempts", attempts);
        p.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        p.AddWithValue("$receipt", receipt);
        p.AddWithValue("$signature", signature);
        p.AddWithValue("$key", receiptKey);
        p.AddWithValue("$bytes", System.Text.Encoding.UTF8.GetByteCount(message.Payload));
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    });

    /// <summary>A held message approved: queued with its redacted payload, the approver recorded. False unless it was held.</summary>
    public Task<bool> ApproveAsync(string messageId, string actor, CancellationToken cancellationToken = default) =>
        UpdateAsync("UPDATE outbox SET state = 2, decided_by = $actor, next_attempt_at = 0 WHERE message_id = $id AND state = 1;",
            cancellationToken, ("$id", messageId), ("$actor", actor));

    /// <summary>A held message discarded with a reason: it never leaves. False unless it was held.</summary>
    public Task<bool> DiscardAsync(string messageId, string reason, string actor, CancellationToken cancellationToken = default) =>
        UpdateAsync("UPDATE outbox SET state = 5, decided_by = $actor, discard_reason = $reason WHERE message_id = $id AND state = 1;",
            cancellationToken, ("$id", messageId), ("$actor", actor), ("$reason", reason));

    /// <summary>How deliveries to <paramref name="partnerId"/> stand: messages per state, the last error and delivery, the next attempt.</summary>
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

    /// <summary>What left, newest first, for one partner when given.</summary>
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

    /// <summary>The message <paramref name="messageId"/> accepted from <paramref name="partnerId"/> before, with the receipt answered; null when new.</summary>
    public async Task<InboundReceipt?> FindInboundAsync(string partnerId, string messageId, CancellationToken cancellationToken = default)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT message_id, sequence, payload_digest, receipt, receipt_signature, receipt_key FROM inbound WHERE partner_id = $partner AND message_id = $id;";
        select.Parameters.AddWithValue("$partner", partnerId);
        select.Parameters.AddWithValue("$id", messageId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new InboundReceipt(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), (byte[])reader.GetValue(4), reader.GetString(5))
            : null;
    }

    /// <summary>The last sequence accepted from <paramref name="partnerId"/>; 0 before the first.</summary>
    public async Task<long> LastInboundSequenceAsync(string partnerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT last_sequence FROM inbound_sequence WHERE partner_id = $partner;";
        select.Parameters.AddWithValue("$partner", partnerId);
        return await select.ExecuteScalarAsync(cancellationToken) is long last ? last : 0;
    }

    /// <summary>The messages accepted from <paramref name="partnerId"/>, in the order accepted (their ids and sequences).</summary>
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
            rows.Add(new InboundReceipt(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), (byte[])reader.GetValue(4), reader.GetString(5)));
        }

        return rows;
    }

    /// <summary>A message accepted from <paramref name="partnerId"/>: its id, digest and receipt kept, its sequence the last accepted, in one transaction.</summary>
    public Task RecordInboundAsync(string partnerId, InboundReceipt accepted, DateTimeOffset at, CancellationToken cancellationToken = default) => Database.WriteAsync(async () =>
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO inbound (partner_id, message_id, sequence, payload_digest, receipt, receipt_signature, receipt_key, received_at)
            VALUES ($partner, $id, $sequence, $digest, $receipt, $signature, $key, $at);
            INSERT INTO inbound_sequence (partner_id, last_sequence) VALUES ($partner, $sequence)
            ON CONFLICT (partner_id) DO UPDATE SET last_sequence = max(last_sequence, excluded.last_sequence);
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
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    });

    /// <summary>Records a refused delivery; the oldest rows beyond <see cref="RefusalsKept"/> go.</summary>
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

    /// <summary>Refused deliveries, newest first.</summary>
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

    private static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
