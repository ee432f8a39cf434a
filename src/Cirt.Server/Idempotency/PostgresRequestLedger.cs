using Cirt.Server.Storage;
using Npgsql;

namespace Cirt.Server.Idempotency;

/// <summary>
/// The cluster profile's ledger: the table request_ledger in PostgreSQL
/// (deploy/sql/postgresql/300-request-ledger.sql), shared by every silo. A claim is a row without a
/// response, inserted only where none is (or where the one there is an answer past the window, or a
/// claim that expired): of two silos claiming the same request at once, the database lets exactly one
/// in. Claims expire by the database's clock, so silos whose clocks differ still agree on it.
/// </summary>
public sealed class PostgresRequestLedger(PostgresDatabase database) : IRequestLedger
{
    /// <summary>Milliseconds since the Unix epoch by the database's clock.</summary>
    private const string DatabaseNow = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint";

    private const string SameKey = "key_id = @key AND method = @method AND request_id = @id";

    public async Task<RecordedAnswer?> FindAsync(RequestKey key, DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var find = new NpgsqlCommand($"""
            SELECT request_digest, response, recorded_at FROM request_ledger
            WHERE {SameKey} AND response IS NOT NULL AND recorded_at >= @notBefore;
            """, connection);
        Bind(find, key);
        find.Parameters.AddWithValue("notBefore", notBefore.ToUnixTimeMilliseconds());
        await using var reader = await find.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new RecordedAnswer((byte[])reader[0], (byte[])reader[1], DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)))
            : null;
    }

    public async Task<ClaimOutcome> ClaimAsync(RequestKey key, RequestClaim claim, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        while (true)
        {
            await using (var take = new NpgsqlCommand($"""
                INSERT INTO request_ledger AS held (key_id, method, request_id, request_digest, response, recorded_at, claimed_by, claim_expires_at)
                VALUES (@key, @method, @id, @digest, NULL, @at, @holder, {DatabaseNow} + @lifetime)
                ON CONFLICT (key_id, method, request_id) DO UPDATE
                SET request_digest = excluded.request_digest, response = NULL, recorded_at = excluded.recorded_at,
                    claimed_by = excluded.claimed_by, claim_expires_at = excluded.claim_expires_at
                WHERE (held.response IS NOT NULL AND held.recorded_at < @notBefore)
                   OR (held.response IS NULL AND (held.claimed_by = @holder OR held.claim_expires_at <= {DatabaseNow}));
                """, connection))
            {
                Bind(take, key);
                take.Parameters.AddWithValue("digest", claim.RequestDigest);
                take.Parameters.AddWithValue("at", claim.ClaimedAt.ToUnixTimeMilliseconds());
                take.Parameters.AddWithValue("holder", claim.Holder);
                take.Parameters.AddWithValue("lifetime", (long)claim.Lifetime.TotalMilliseconds);
                take.Parameters.AddWithValue("notBefore", claim.NotBefore.ToUnixTimeMilliseconds());
                if (await take.ExecuteNonQueryAsync(cancellationToken) == 1)
                {
                    return ClaimOutcome.Won;
                }
            }

            // Someone else's row: an answer within the window, or a live claim.
            await using var read = new NpgsqlCommand($"SELECT request_digest, response, recorded_at FROM request_ledger WHERE {SameKey};", connection);
            Bind(read, key);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                var digest = (byte[])reader[0];
                return reader.IsDBNull(1)
                    ? ClaimOutcome.HeldWith(digest)
                    : ClaimOutcome.AnsweredWith(new RecordedAnswer(digest, (byte[])reader[1], DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))));
            }

            // Released or pruned between the two statements: claim again.
        }
    }

    public async Task<bool> RenewAsync(RequestKey key, Guid holder, TimeSpan lifetime)
    {
        await using var connection = await database.OpenAsync();
        await using var renew = new NpgsqlCommand($"""
            UPDATE request_ledger SET claim_expires_at = {DatabaseNow} + @lifetime
            WHERE {SameKey} AND response IS NULL AND claimed_by = @holder;
            """, connection);
        Bind(renew, key);
        renew.Parameters.AddWithValue("holder", holder);
        renew.Parameters.AddWithValue("lifetime", (long)lifetime.TotalMilliseconds);
        return await renew.ExecuteNonQueryAsync() == 1;
    }

    public async Task ReleaseAsync(RequestKey key, Guid holder)
    {
        await using var connection = await database.OpenAsync();
        await using var release = new NpgsqlCommand($"DELETE FROM request_ledger WHERE {SameKey} AND response IS NULL AND claimed_by = @holder;", connection);
        Bind(release, key);
        release.Parameters.AddWithValue("holder", holder);
        await release.ExecuteNonQueryAsync();
    }

    public async Task RecordAsync(RequestKey key, RecordedAnswer answer)
    {
        await using var connection = await database.OpenAsync();
        await using var record = new NpgsqlCommand("""
            INSERT INTO request_ledger (key_id, method, request_id, request_digest, response, recorded_at)
            VALUES (@key, @method, @id, @digest, @response, @at)
            ON CONFLICT (key_id, method, request_id) DO UPDATE
            SET request_digest = excluded.request_digest, response = excluded.response, recorded_at = excluded.recorded_at,
                claimed_by = NULL, claim_expires_at = NULL;
            """, connection);
        Bind(record, key);
        record.Parameters.AddWithValue("digest", answer.RequestDigest);
        record.Parameters.AddWithValue("response", answer.Response);
        record.Parameters.AddWithValue("at", answer.RecordedAt.ToUnixTimeMilliseconds());
        await record.ExecuteNonQueryAsync();
    }

    public async Task<int> PruneAsync(DateTimeOffset before)
    {
        await using var connection = await database.OpenAsync();
        await using var prune = new NpgsqlCommand($"""
            DELETE FROM request_ledger
            WHERE recorded_at < @before AND (response IS NOT NULL OR claim_expires_at <= {DatabaseNow});
            """, connection);
        prune.Parameters.AddWithValue("before", before.ToUnixTimeMilliseconds());
        return await prune.ExecuteNonQueryAsync();
    }

    private static void Bind(NpgsqlCommand command, RequestKey key)
    {
        command.Parameters.AddWithValue("key", key.KeyId);
        command.Parameters.AddWithValue("method", key.Method);
        command.Parameters.AddWithValue("id", key.RequestId);
    }
}
