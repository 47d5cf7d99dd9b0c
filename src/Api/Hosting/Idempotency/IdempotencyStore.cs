using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace GovEvents.Api.Hosting.Idempotency;

/// <summary>The request a key was first used for: a different one under the same key is refused.</summary>
public sealed record IdempotentRequest(string Subject, string Key, string Method, string Path, byte[] RequestHash);

/// <summary>The first response to a key, replayed to retries.</summary>
public sealed record StoredResponse(int Status, string? ContentType, string? Location, string? ETag, byte[] Body);

public abstract record ClaimOutcome
{
    /// <summary>This request holds the key and runs; it completes or releases the claim.</summary>
    public sealed record Claimed : ClaimOutcome;
    /// <summary>The key was used for a different method, path or body.</summary>
    public sealed record Mismatch : ClaimOutcome;
    /// <summary>A request with the key is still running.</summary>
    public sealed record InProgress : ClaimOutcome;
    public sealed record Completed(StoredResponse Response) : ClaimOutcome;
}

/// <summary>Keys scoped to the caller (sub): two callers never see each other's responses.</summary>
public sealed class IdempotencyStore(NpgsqlDataSource db, IOptions<GovEventsSettings> settings)
{
    private readonly string _table = $"{settings.Value.Schema}.{Database.MartenSetup.IdempotencyTable}";

    public async Task<ClaimOutcome> ClaimAsync(IdempotentRequest request, CancellationToken ct)
    {
        // Insert first: of concurrent duplicates exactly one inserts and runs. A claim left by a
        // process that died is taken over once it is older than the claim timeout.
        await using var cmd = db.CreateCommand($"""
            insert into {_table} as k (subject, key, method, path, request_hash) values ($1, $2, $3, $4, $5)
            on conflict (subject, key) do update set claimed_at = now()
              where k.completed_at is null and k.claimed_at < now() - make_interval(secs => $6)
                and k.method = excluded.method and k.path = excluded.path and k.request_hash = excluded.request_hash
            returning 1
            """);
        AddKey(cmd, request);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = request.Method });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = request.Path });
        cmd.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = request.RequestHash });
        cmd.Parameters.Add(new NpgsqlParameter<double> { TypedValue = settings.Value.Idempotency.ClaimTimeoutSeconds });
        if (await cmd.ExecuteScalarAsync(ct) is not null) return new ClaimOutcome.Claimed();

        await using var read = db.CreateCommand($"""
            select method, path, request_hash, completed_at is not null, status, content_type, location, etag, body
              from {_table} where subject = $1 and key = $2
            """);
        AddKey(read, request);
        await using var r = await read.ExecuteReaderAsync(ct);
        // Released between our insert and this read: the caller may simply retry.
        if (!await r.ReadAsync(ct)) return new ClaimOutcome.InProgress();
        if (r.GetString(0) != request.Method || r.GetString(1) != request.Path || !r.GetFieldValue<byte[]>(2).AsSpan().SequenceEqual(request.RequestHash))
            return new ClaimOutcome.Mismatch();
        if (!r.GetBoolean(3)) return new ClaimOutcome.InProgress();
        return new ClaimOutcome.Completed(new StoredResponse(
            r.GetInt32(4), NullableString(r, 5), NullableString(r, 6), NullableString(r, 7), r.GetFieldValue<byte[]>(8)));
    }

    public async Task CompleteAsync(IdempotentRequest request, StoredResponse response, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            update {_table} set completed_at = now(), status = $3, content_type = $4, location = $5, etag = $6, body = $7
             where subject = $1 and key = $2
            """);
        AddKey(cmd, request);
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = response.Status });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)response.ContentType ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)response.Location ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)response.ETag ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = response.Body });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Frees the key after a failure (5xx or an exception), so a retry runs the request again.</summary>
    public async Task ReleaseAsync(IdempotentRequest request)
    {
        await using var cmd = db.CreateCommand($"delete from {_table} where subject = $1 and key = $2 and completed_at is null");
        AddKey(cmd, request);
        await cmd.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private static void AddKey(NpgsqlCommand cmd, IdempotentRequest request)
    {
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = request.Subject });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = request.Key });
    }

    private static string? NullableString(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
