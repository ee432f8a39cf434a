using Cirt.Server.Storage;

namespace Cirt.Server.Idempotency;

/// <summary>
/// The embedded profile's ledger: the table request_ledger of its database
/// (deploy/sql/sqlite/012-request-ledger.sql), written through the database's one writer slot, so a
/// recorded answer is on disk (fsynced) like the change it answers and survives a restart. Claims
/// live in the process (<see cref="ProcessClaims"/>): the database has one silo, and a claim does not
/// outlive the process that holds it.
/// </summary>
public sealed class SqliteRequestLedger(SqliteDatabase database) : IRequestLedger
{
    private readonly ProcessClaims _claims = new();

    public async Task<RecordedAnswer?> FindAsync(RequestKey key, DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var find = connection.CreateCommand();
        find.CommandText = """
            SELECT request_digest, response, recorded_at FROM request_ledger
            WHERE key_id = $key AND method = $method AND request_id = $id AND recorded_at >= $notBefore;
            """;
        Bind(find, key);
        find.Parameters.AddWithValue("$notBefore", notBefore.ToUnixTimeMilliseconds());
        await using var reader = await find.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new RecordedAnswer((byte[])reader[0], (byte[])reader[1], DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));
    }

    public async Task<ClaimOutcome> ClaimAsync(RequestKey key, RequestClaim claim, CancellationToken cancellationToken)
    {
        if (_claims.TryTake(key, claim) is { } heldDigest)
        {
            return ClaimOutcome.HeldWith(heldDigest);
        }

        // Looked up after the claim is taken: an answer recorded (and its claim removed) meanwhile is found.
        RecordedAnswer? answer;
        try
        {
            answer = await FindAsync(key, claim.NotBefore, cancellationToken);
        }
        catch
        {
            _claims.Remove(key, claim.Holder);
            throw;
        }

        if (answer is not null)
        {
            _claims.Remove(key, claim.Holder);
            return ClaimOutcome.AnsweredWith(answer);
        }

        return ClaimOutcome.Won;
    }

    public Task<bool> RenewAsync(RequestKey key, Guid holder, TimeSpan lifetime) => Task.FromResult(_claims.Renew(key, holder, lifetime));

    public Task ReleaseAsync(RequestKey key, Guid holder)
    {
        _claims.Remove(key, holder);
        return Task.CompletedTask;
    }

    public async Task RecordAsync(RequestKey key, RecordedAnswer answer)
    {
        await WriteAnswerAsync(key, answer);
        _claims.Remove(key, holder: null);
    }

    private Task WriteAnswerAsync(RequestKey key, RecordedAnswer answer) => database.WriteAsync(async () =>
    {
        await using var connection = await database.OpenAsync();
        await using var record = connection.CreateCommand();
        record.CommandText = """
            INSERT OR REPLACE INTO request_ledger (key_id, method, request_id, request_digest, response, recorded_at)
            VALUES ($key, $method, $id, $digest, $response, $at);
            """;
        Bind(record, key);
        record.Parameters.AddWithValue("$digest", answer.RequestDigest);
        record.Parameters.AddWithValue("$response", answer.Response);
        record.Parameters.AddWithValue("$at", answer.RecordedAt.ToUnixTimeMilliseconds());
        await record.ExecuteNonQueryAsync();
    });

    public async Task<int> PruneAsync(DateTimeOffset before) => await PruneAnswersAsync(before) + _claims.RemoveExpired();

    private Task<int> PruneAnswersAsync(DateTimeOffset before) => database.WriteAsync(async () =>
    {
        await using var connection = await database.OpenAsync();
        await using var prune = connection.CreateCommand();
        prune.CommandText = "DELETE FROM request_ledger WHERE recorded_at < $before;";
        prune.Parameters.AddWithValue("$before", before.ToUnixTimeMilliseconds());
        return await prune.ExecuteNonQueryAsync();
    });

    private static void Bind(Microsoft.Data.Sqlite.SqliteCommand command, RequestKey key)
    {
        command.Parameters.AddWithValue("$key", key.KeyId);
        command.Parameters.AddWithValue("$method", key.Method);
        command.Parameters.AddWithValue("$id", key.RequestId);
    }
}
