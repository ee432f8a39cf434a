using Cirt.Grains.Partners;
using Cirt.Server.Storage;
using Cirt.Server.Taxii;
using Npgsql;
using NpgsqlTypes;

namespace Cirt.Server.Federation;

/// <summary>
/// The exchange with partner CIRTs in the cluster profile's PostgreSQL (deploy/sql/postgresql/400-*),
/// shared by every silo: see <see cref="IFederationStore"/>. The same queries and paging as the SQLite
/// adapter; what the cluster adds: a partner's delivery claim is a row whose lease runs on the
/// database's clock, and the outbox writes of a delivery lock that row (FOR SHARE) and check its
/// fence in their transaction, so a claim cannot pass to another silo between the check and the
/// write; an inbound message is stored once even when two silos take it at once (unique key, the
/// first receipt kept); the dates of a TAXII collection are given under a lock per partner.
/// </summary>
public sealed class PostgresFederationStore(PostgresDatabase database) : IFederationStore
{
    private const string OutboxColumns = """
        id, message_id, partner_id, kind, item_id, item_version, action, note_key, state, sequence, attempts, queued_at, queued_by,
        delivered_at, last_error, last_error_at, next_attempt_at, payload, payload_digest, findings, decided_by, discard_reason,
        receipt, receipt_signature, receipt_key
        """;

    private const string InboundColumns = "message_id, sequence, payload_digest, receipt, receipt_signature, receipt_key";

    /// <summary>What a TAXII collection holds: messages queued or delivered (never held, failed or discarded).</summary>
    private const string Sendable = "o.state IN (2, 3)";

    /// <summary>The database's clock, Unix milliseconds: leases do not depend on the silos' clocks agreeing.</summary>
    private const string DatabaseNow = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint";

    private long _refusalsRecorded;

    /// <inheritdoc/>
    public async Task<OutboxEntry> EnqueueAsync(NewOutboxMessage message, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO federation_outbox (message_id, partner_id, kind, item_id, item_version, action, note_key, state, queued_at, queued_by, payload, payload_digest, findings)
            VALUES (@messageId, @partner, @kind, @item, @version, @action, @note, @state, @at, @by, @payload, @digest, @findings)
            ON CONFLICT (partner_id, kind, item_id, item_version, action, note_key) DO NOTHING;
            """, connection))
        {
            var p = insert.Parameters;
            p.AddWithValue("messageId", Guid.NewGuid().ToString("D"));
            AddItemKey(insert, message);
            p.AddWithValue("state", (int)message.State);
            p.AddWithValue("at", message.QueuedAt.ToUnixTimeMilliseconds());
            p.AddWithValue("by", message.QueuedBy);
            p.AddWithValue("payload", message.Payload);
            p.AddWithValue("digest", message.PayloadDigest);
            p.AddWithValue("findings", message.Findings);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var select = new NpgsqlCommand($"""
            SELECT {OutboxColumns} FROM federation_outbox
            WHERE partner_id = @partner AND kind = @kind AND item_id = @item AND item_version = @version AND action = @action AND note_key = @note;
            """, connection);
        AddItemKey(select, message);
        return (await ReadOutboxAsync(select, cancellationToken)).Single();
    }

    /// <inheritdoc/>
    public async Task<OutboxEntry?> GetAsync(string messageId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand($"SELECT {OutboxColumns} FROM federation_outbox WHERE message_id = @id;", connection);
        select.Parameters.AddWithValue("id", messageId);
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

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand("SELECT message_id, state FROM federation_outbox WHERE message_id = ANY (@ids);", connection);
        select.Parameters.AddWithValue("ids", messageIds.Distinct(StringComparer.Ordinal).ToArray());
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            states[reader.GetString(0)] = (OutboxState)reader.GetInt32(1);
        }

        return states;
    }

    /// <inheritdoc/>
    public async Task<StorePage<OutboxEntry>> ListOutboxAsync(string? partnerId, OutboxState? state, int pageSize, long before, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand { Connection = connection };
        var where = "WHERE (@before = 0 OR id < @before)";
        if (partnerId is not null)
        {
            where += " AND partner_id = @partner";
            select.Parameters.AddWithValue("partner", partnerId);
        }

        if (state is not null)
        {
            where += " AND state = @state";
            select.Parameters.AddWithValue("state", (int)state);
        }

        select.CommandText = $"SELECT {OutboxColumns} FROM federation_outbox {where} ORDER BY id DESC LIMIT @limit;";
        select.Parameters.AddWithValue("before", before);
        select.Parameters.AddWithValue("limit", pageSize + 1);
        return Page(await ReadOutboxAsync(select, cancellationToken), pageSize, e => e.Position);
    }

    /// <inheritdoc/>
    public async Task<OutboxEntry?> NextQueuedAsync(string partnerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand(
            $"SELECT {OutboxColumns} FROM federation_outbox WHERE partner_id = @partner AND state = @queued ORDER BY id LIMIT 1;", connection);
        select.Parameters.AddWithValue("partner", partnerId);
        select.Parameters.AddWithValue("queued", (int)OutboxState.Queued);
        return (await ReadOutboxAsync(select, cancellationToken)).SingleOrDefault();
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> PartnersWithQueuedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand("SELECT DISTINCT partner_id FROM federation_outbox WHERE state = @queued;", connection);
        select.Parameters.AddWithValue("queued", (int)OutboxState.Queued);
        var partners = new List<string>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            partners.Add(reader.GetString(0));
        }

        return partners;
    }

    /// <inheritdoc/>
    public async Task<DeliveryClaim> ClaimDeliveryAsync(string partnerId, string holder, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var claim = new NpgsqlCommand($"""
            INSERT INTO federation_delivery_claim AS c (partner_id, holder, fence, expires_at) VALUES (@partner, @holder, 1, {DatabaseNow} + @lease)
            ON CONFLICT (partner_id) DO UPDATE SET
                fence = CASE WHEN c.holder = excluded.holder THEN c.fence ELSE c.fence + 1 END,
                holder = excluded.holder, expires_at = excluded.expires_at
            WHERE c.holder = excluded.holder OR c.expires_at <= excluded.expires_at - @lease
            RETURNING partner_id, holder, fence, expires_at;
            """, connection))
        {
            claim.Parameters.AddWithValue("partner", partnerId);
            claim.Parameters.AddWithValue("holder", holder);
            claim.Parameters.AddWithValue("lease", (long)lease.TotalMilliseconds);
            if (await ReadClaimAsync(claim, cancellationToken) is { } granted)
            {
                return granted;
            }
        }

        // Held by another dispatcher whose lease runs: the claim as it holds it.
        await using var select = new NpgsqlCommand("SELECT partner_id, holder, fence, expires_at FROM federation_delivery_claim WHERE partner_id = @partner;", connection);
        select.Parameters.AddWithValue("partner", partnerId);
        return await ReadClaimAsync(select, cancellationToken) ?? throw new InvalidOperationException($"The delivery claim of {partnerId} vanished.");
    }

    /// <inheritdoc/>
    public async Task ReleaseDeliveryAsync(DeliveryClaim claim, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var release = new NpgsqlCommand(
            "UPDATE federation_delivery_claim SET expires_at = 0 WHERE partner_id = @partner AND holder = @holder AND fence = @fence;", connection);
        AddClaim(release, claim);
        await release.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<long?> AssignSequenceAsync(DeliveryClaim claim, string messageId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT partner_id, sequence FROM federation_outbox WHERE message_id = @id FOR UPDATE;", connection, transaction);
        command.Parameters.AddWithValue("id", messageId);
        string partnerId;
        long given;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException($"Outbox message {messageId} does not exist.");
            }

            (partnerId, given) = (reader.GetString(0), reader.GetInt64(1));
        }

        if (partnerId != claim.PartnerId || !await HoldsAsync(connection, transaction, claim, cancellationToken))
        {
            return null;
        }

        if (given > 0)
        {
            return given;
        }

        command.CommandText = """
            INSERT INTO federation_outbox_sequence AS s (partner_id, last_sequence) VALUES (@partner, 1)
            ON CONFLICT (partner_id) DO UPDATE SET last_sequence = s.last_sequence + 1
            RETURNING last_sequence;
            """;
        command.Parameters.AddWithValue("partner", partnerId);
        var sequence = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        command.CommandText = "UPDATE federation_outbox SET sequence = @sequence WHERE message_id = @id;";
        command.Parameters.AddWithValue("sequence", sequence);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return sequence;
    }

    /// <inheritdoc/>
    public Task<bool> RecordFailedAttemptAsync(DeliveryClaim claim, string messageId, int attempts, string error, DateTimeOffset at, DateTimeOffset nextAttemptAt,
        CancellationToken cancellationToken = default) =>
        FencedAsync(claim, """
            UPDATE federation_outbox SET attempts = attempts + @attempts, last_error = @error, last_error_at = @at, next_attempt_at = @next
            WHERE message_id = @id AND state = 2 AND partner_id = @partner;
            """, cancellationToken, ("id", messageId), ("attempts", attempts), ("error", error), ("at", at.ToUnixTimeMilliseconds()),
            ("next", nextAttemptAt.ToUnixTimeMilliseconds()));

    /// <inheritdoc/>
    public Task<bool> MarkFailedAsync(DeliveryClaim claim, string messageId, int attempts, string error, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        FencedAsync(claim, """
            UPDATE federation_outbox SET state = 4, attempts = attempts + @attempts, last_error = @error, last_error_at = @at, next_attempt_at = 0
            WHERE message_id = @id AND state = 2 AND partner_id = @partner;
            """, cancellationToken, ("id", messageId), ("attempts", attempts), ("error", error), ("at", at.ToUnixTimeMilliseconds()));

    /// <inheritdoc/>
    public Task<bool> MarkDeliveredAsync(DeliveryClaim claim, OutboxEntry message, int attempts, string receipt, byte[] signature, string receiptKey, DateTimeOffset at,
        CancellationToken cancellationToken = default) =>
        FencedAsync(claim, """
            WITH delivered AS (
                UPDATE federation_outbox SET state = 3, attempts = attempts + @attempts, delivered_at = @at, next_attempt_at = 0,
                    receipt = @receipt, receipt_signature = @signature, receipt_key = @key
                WHERE message_id = @id AND state = 2 AND partner_id = @partner
                RETURNING message_id, partner_id, kind, item_id, item_version, action, payload, payload_digest, queued_by, decided_by)
            INSERT INTO federation_egress (message_id, partner_id, kind, item_id, item_version, action, payload, payload_digest, payload_bytes, sent_at, queued_by, approved_by)
            SELECT message_id, partner_id, kind, item_id, item_version, action, payload, payload_digest, @bytes, @at, queued_by, decided_by FROM delivered;
            """, cancellationToken, ("id", message.MessageId), ("attempts", attempts), ("at", at.ToUnixTimeMilliseconds()), ("receipt", receipt),
            ("signature", signature), ("key", receiptKey), ("bytes", (long)System.Text.Encoding.UTF8.GetByteCount(message.Payload)));

    /// <inheritdoc/>
    public Task<bool> ApproveAsync(string messageId, string actor, CancellationToken cancellationToken = default) =>
        UpdateAsync("UPDATE federation_outbox SET state = 2, decided_by = @actor, next_attempt_at = 0 WHERE message_id = @id AND state = 1;",
            cancellationToken, ("id", messageId), ("actor", actor));

    /// <inheritdoc/>
    public Task<bool> DiscardAsync(string messageId, string reason, string actor, CancellationToken cancellationToken = default) =>
        UpdateAsync("UPDATE federation_outbox SET state = 5, decided_by = @actor, discard_reason = @reason WHERE message_id = @id AND state = 1;",
            cancellationToken, ("id", messageId), ("actor", actor), ("reason", reason));

    /// <inheritdoc/>
    public async Task<DeliveryCounts> CountsAsync(string partnerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // One snapshot for the four reads, as the SQLite adapter's read transaction gives.
        await using var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await using var select = new NpgsqlCommand("SELECT state, count(*) FROM federation_outbox WHERE partner_id = @partner GROUP BY state;", connection, snapshot);
        select.Parameters.AddWithValue("partner", partnerId);
        var counts = new Dictionary<OutboxState, long>();
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                counts[(OutboxState)reader.GetInt32(0)] = reader.GetInt64(1);
            }
        }

        var (lastError, lastErrorAt) = ("", (DateTimeOffset?)null);
        select.CommandText = """
            SELECT last_error, last_error_at FROM federation_outbox WHERE partner_id = @partner AND last_error_at IS NOT NULL
            ORDER BY last_error_at DESC, id DESC LIMIT 1;
            """;
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                (lastError, lastErrorAt) = (reader.GetString(0), Time(reader, 1));
            }
        }

        select.CommandText = "SELECT max(delivered_at) FROM federation_outbox WHERE partner_id = @partner;";
        var lastDelivered = await select.ExecuteScalarAsync(cancellationToken) is long delivered ? DateTimeOffset.FromUnixTimeMilliseconds(delivered) : (DateTimeOffset?)null;
        select.CommandText = "SELECT next_attempt_at FROM federation_outbox WHERE partner_id = @partner AND state = 2 ORDER BY id LIMIT 1;";
        var nextAttempt = await select.ExecuteScalarAsync(cancellationToken) is long next and > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(next) : (DateTimeOffset?)null;
        await snapshot.CommitAsync(cancellationToken);
        return new DeliveryCounts(counts.GetValueOrDefault(OutboxState.Queued), counts.GetValueOrDefault(OutboxState.Held),
            counts.GetValueOrDefault(OutboxState.Delivered), counts.GetValueOrDefault(OutboxState.Failed),
            lastError, lastErrorAt, lastDelivered, nextAttempt);
    }

    /// <inheritdoc/>
    public async Task<StorePage<EgressEntry>> ListEgressAsync(string? partnerId, int pageSize, long before, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand($"""
            SELECT id, message_id, partner_id, kind, item_id, item_version, action, payload, payload_digest, payload_bytes, sent_at, queued_by, approved_by
            FROM federation_egress WHERE (@before = 0 OR id < @before) {(partnerId is null ? "" : "AND partner_id = @partner")}
            ORDER BY id DESC LIMIT @limit;
            """, connection);
        select.Parameters.AddWithValue("before", before);
        select.Parameters.AddWithValue("limit", pageSize + 1);
        if (partnerId is not null)
        {
            select.Parameters.AddWithValue("partner", partnerId);
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
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand($"SELECT {InboundColumns} FROM federation_inbound WHERE partner_id = @partner AND message_id = @id;", connection);
        select.Parameters.AddWithValue("partner", partnerId);
        select.Parameters.AddWithValue("id", messageId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadInbound(reader) : null;
    }

    /// <inheritdoc/>
    public async Task<long> LastInboundSequenceAsync(string partnerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand("SELECT last_sequence FROM federation_inbound_sequence WHERE partner_id = @partner;", connection);
        select.Parameters.AddWithValue("partner", partnerId);
        return await select.ExecuteScalarAsync(cancellationToken) is long last ? last : 0;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<InboundReceipt>> InboundOfAsync(string partnerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand($"SELECT {InboundColumns} FROM federation_inbound WHERE partner_id = @partner ORDER BY id;", connection);
        select.Parameters.AddWithValue("partner", partnerId);
        var rows = new List<InboundReceipt>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(ReadInbound(reader));
        }

        return rows;
    }

    /// <inheritdoc/>
    public async Task<InboundReceipt> RecordInboundAsync(string partnerId, InboundReceipt accepted, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            INSERT INTO federation_inbound (partner_id, message_id, sequence, payload_digest, receipt, receipt_signature, receipt_key, received_at)
            VALUES (@partner, @id, @sequence, @digest, @receipt, @signature, @key, @at)
            ON CONFLICT (partner_id, message_id) DO NOTHING;
            """, connection, transaction);
        var p = command.Parameters;
        p.AddWithValue("partner", partnerId);
        p.AddWithValue("id", accepted.MessageId);
        p.AddWithValue("sequence", accepted.Sequence);
        p.AddWithValue("digest", accepted.PayloadDigest);
        p.AddWithValue("receipt", accepted.Receipt);
        p.AddWithValue("signature", accepted.Signature);
        p.AddWithValue("key", accepted.ReceiptKey);
        p.AddWithValue("at", at.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
        command.CommandText = """
            INSERT INTO federation_inbound_sequence AS s (partner_id, last_sequence) VALUES (@partner, @sequence)
            ON CONFLICT (partner_id) DO UPDATE SET last_sequence = greatest(s.last_sequence, excluded.last_sequence);
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
        command.CommandText = $"SELECT {InboundColumns} FROM federation_inbound WHERE partner_id = @partner AND message_id = @id;";
        InboundReceipt stored;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            stored = ReadInbound(reader);
        }

        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    /// <inheritdoc/>
    public async Task RecordRefusalAsync(InboundRefusalEntry refusal, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            INSERT INTO federation_inbound_refusal (at, claimed_sender, key_partner_id, message_id, status, reason)
            VALUES (@at, @sender, @keyPartner, @id, @status, @reason);
            """, connection);
        var p = command.Parameters;
        p.AddWithValue("at", refusal.At.ToUnixTimeMilliseconds());
        p.AddWithValue("sender", refusal.ClaimedSender);
        p.AddWithValue("keyPartner", refusal.KeyPartnerId);
        p.AddWithValue("id", refusal.MessageId);
        p.AddWithValue("status", refusal.Status);
        p.AddWithValue("reason", refusal.Reason);
        await command.ExecuteNonQueryAsync(cancellationToken);
        if (Interlocked.Increment(ref _refusalsRecorded) % 1_000 == 0)
        {
            command.CommandText = $"DELETE FROM federation_inbound_refusal WHERE id <= (SELECT max(id) FROM federation_inbound_refusal) - {FederationStore.RefusalsKept};";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <inheritdoc/>
    public async Task<StorePage<InboundRefusalEntry>> ListRefusalsAsync(int pageSize, long before, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand("""
            SELECT id, at, claimed_sender, key_partner_id, message_id, status, reason FROM federation_inbound_refusal
            WHERE (@before = 0 OR id < @before) ORDER BY id DESC LIMIT @limit;
            """, connection);
        select.Parameters.AddWithValue("before", before);
        select.Parameters.AddWithValue("limit", pageSize + 1);
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
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var undated = new NpgsqlCommand($"""
            SELECT EXISTS (SELECT 1 FROM federation_outbox o LEFT JOIN federation_taxii_added t ON t.message_id = o.message_id
                           WHERE o.partner_id = @partner AND {Sendable} AND t.message_id IS NULL);
            """, connection))
        {
            undated.Parameters.AddWithValue("partner", partnerId);
            if ((bool)(await undated.ExecuteScalarAsync(cancellationToken))!)
            {
                await DateNewAsync(connection, partnerId, now, cancellationToken);
            }
        }

        await using var select = new NpgsqlCommand($"""
            SELECT o.message_id, t.date_added, o.queued_at, o.kind, o.item_id, o.item_version, o.action
            FROM federation_taxii_added t JOIN federation_outbox o ON o.message_id = t.message_id
            WHERE t.partner_id = @partner AND {Sendable}
            ORDER BY t.date_added, o.message_id COLLATE "C";
            """, connection);
        select.Parameters.AddWithValue("partner", partnerId);
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

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand("SELECT message_id, payload FROM federation_outbox WHERE message_id = ANY (@ids);", connection);
        select.Parameters.AddWithValue("ids", messageIds.Distinct(StringComparer.Ordinal).ToArray());
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            payloads[reader.GetString(0)] = reader.GetString(1);
        }

        return payloads;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> RecordServedAsync(string partnerId, string keyId, IReadOnlyCollection<string> messageIds, DateTimeOffset at,
        CancellationToken cancellationToken = default)
    {
        var recorded = new List<string>();
        if (messageIds.Count == 0)
        {
            return recorded;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = new NpgsqlCommand("""
            INSERT INTO federation_taxii_served (message_id, partner_id, key_id, served_at) VALUES (@id, @partner, @key, @at)
            ON CONFLICT (message_id) DO NOTHING;
            """, connection, transaction);
        var id = insert.Parameters.Add("id", NpgsqlDbType.Text);
        insert.Parameters.AddWithValue("partner", partnerId);
        insert.Parameters.AddWithValue("key", keyId);
        insert.Parameters.AddWithValue("at", CollectionDates.ToMicroseconds(at));
        foreach (var messageId in messageIds)
        {
            id.Value = messageId;
            if (await insert.ExecuteNonQueryAsync(cancellationToken) > 0)
            {
                recorded.Add(messageId);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return recorded;
    }

    /// <summary>Dates the partner's sendable messages not yet in its collection, in queue order, after the last date given; one silo at a time per partner.</summary>
    private static async Task DateNewAsync(NpgsqlConnection connection, string partnerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('cirt.taxii_added:' || @partner, 0));", connection, transaction);
        command.Parameters.AddWithValue("partner", partnerId);
        await command.ExecuteNonQueryAsync(cancellationToken);
        command.CommandText = "SELECT coalesce(max(date_added), 0) FROM federation_taxii_added WHERE partner_id = @partner;";
        var last = (long)(await command.ExecuteScalarAsync(cancellationToken))!;

        command.CommandText = $"""
            SELECT o.message_id, o.queued_at, o.decided_by FROM federation_outbox o LEFT JOIN federation_taxii_added t ON t.message_id = o.message_id
            WHERE o.partner_id = @partner AND {Sendable} AND t.message_id IS NULL
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

        command.CommandText = "INSERT INTO federation_taxii_added (message_id, partner_id, date_added) VALUES (@id, @partner, @added);";
        var id = command.Parameters.Add("id", NpgsqlDbType.Text);
        var added = command.Parameters.Add("added", NpgsqlDbType.Bigint);
        foreach (var (messageId, date) in CollectionDates.DatesAdded(undated, last, now))
        {
            id.Value = messageId;
            added.Value = date;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="sql"/> (parameters @partner and those given) only while <paramref name="claim"/>
    /// is the partner's: its row is locked FOR SHARE in the same transaction, so a takeover waits for
    /// the write to commit, or the write sees the takeover and changes nothing. True when a row changed.
    /// </summary>
    private async Task<bool> FencedAsync(DeliveryClaim claim, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await HoldsAsync(connection, transaction, claim, cancellationToken))
        {
            return false;
        }

        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("partner", claim.PartnerId);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var changed = await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    /// <summary>Whether <paramref name="claim"/> is still the partner's, its row locked against a takeover until the transaction ends.</summary>
    private static async Task<bool> HoldsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DeliveryClaim claim, CancellationToken cancellationToken)
    {
        await using var check = new NpgsqlCommand(
            "SELECT 1 FROM federation_delivery_claim WHERE partner_id = @partner AND holder = @holder AND fence = @fence FOR SHARE;", connection, transaction);
        AddClaim(check, claim);
        return await check.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private async Task<bool> UpdateAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static void AddClaim(NpgsqlCommand command, DeliveryClaim claim)
    {
        command.Parameters.AddWithValue("partner", claim.PartnerId);
        command.Parameters.AddWithValue("holder", claim.Holder);
        command.Parameters.AddWithValue("fence", claim.Fence);
    }

    private static void AddItemKey(NpgsqlCommand command, NewOutboxMessage message)
    {
        var p = command.Parameters;
        p.AddWithValue("partner", message.PartnerId);
        p.AddWithValue("kind", (int)message.Kind);
        p.AddWithValue("item", message.ItemId);
        p.AddWithValue("version", message.ItemVersion);
        p.AddWithValue("action", (int)message.Action);
        p.AddWithValue("note", message.NoteKey);
    }

    private static async Task<DeliveryClaim?> ReadClaimAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new DeliveryClaim(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)))
            : null;
    }

    /// <summary>The first <paramref name="pageSize"/> rows (one more was read to know whether a next page exists).</summary>
    private static StorePage<T> Page<T>(List<T> rows, int pageSize, Func<T, long> position) =>
        rows.Count > pageSize ? new StorePage<T>(rows.Take(pageSize).ToArray(), position(rows[pageSize - 1])) : new StorePage<T>(rows, 0);

    private static async Task<List<OutboxEntry>> ReadOutboxAsync(NpgsqlCommand select, CancellationToken cancellationToken)
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

    private static InboundReceipt ReadInbound(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), (byte[])reader.GetValue(4), reader.GetString(5));

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
