using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace GovEvents.Api.Hosting.Idempotency;

/// <summary>The request a key was first used for: a different one under the same key is refused.</summary>
public sealed record IdempotentRequest(string Subject, string Key, string Method, string Path, byte[] RequestHash);

/// <summary>The first response to a key, replayed to retries.</summary>
public sealed record StoredResponse(int Status, string? ContentType, string? Location, string? ETag, byte[] Body);

public abstract record KeyLookup
{
    public sealed record Unused : KeyLookup;
    /// <summary>The key was used for a different method, path or body.</summary>
    public sealed record Mismatch : KeyLookup;
    public sealed record Answered(StoredResponse Response) : KeyLookup;
}

/// <summary>
/// The first answers to Idempotency-Keys, scoped to the caller (sub): two callers never see each
/// other's answers. An answer is stored in the transaction of the request's own events, so it
/// exists exactly when they do.
/// </summary>
public sealed class IdempotencyStore(NpgsqlDataSource db, IOptions<GovEventsSettings> settings)
{
    private readonly string _table = $"{settings.Value.Schema}.{Database.MartenSetup.IdempotencyTable}";

    public async Task<KeyLookup> FindAsync(IdempotentRequest request, CancellationToken ct)
    {
        await using var read = db.CreateCommand($"""
            select method, path, request_hash, status, content_type, location, etag, body
              from {_table} where subject = $1 and key = $2
            """);
        AddKey(read, request);
        await using var r = await read.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return new KeyLookup.Unused();
        if (r.GetString(0) != request.Method || r.GetString(1) != request.Path || !r.GetFieldValue<byte[]>(2).AsSpan().SequenceEqual(request.RequestHash))
            return new KeyLookup.Mismatch();
        return new KeyLookup.Answered(new StoredResponse(
            r.GetInt32(3), NullableString(r, 4), NullableString(r, 5), NullableString(r, 6), r.GetFieldValue<byte[]>(7)));
    }

    /// <summary>Locks the key for the rest of <paramref name="tx"/>: a second request with it waits.</summary>
    public async Task LockAsync(NpgsqlTransaction tx, IdempotentRequest request, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended($1 || '|' || $2, 17))", tx.Connection, tx);
        AddKey(cmd, request);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Stores the answer inside <paramref name="tx"/>. A request with the same key that committed
    /// first makes this a unique violation (23505): the caller rolls back and replays that answer.
    /// </summary>
    public async Task StoreAsync(NpgsqlTransaction tx, IdempotentRequest request, StoredResponse response, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            insert into {_table} (subject, key, method, path, request_hash, completed_at, status, content_type, location, etag, body)
            values ($1, $2, $3, $4, $5, now(), $6, $7, $8, $9, $10)
            """, tx.Connection, tx);
        AddKey(cmd, request);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = request.Method });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = request.Path });
        cmd.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = request.RequestHash });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = response.Status });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)response.ContentType ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)response.Location ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)response.ETag ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = response.Body });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static void AddKey(NpgsqlCommand cmd, IdempotentRequest request)
    {
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = request.Subject });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = request.Key });
    }

    private static string? NullableString(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
