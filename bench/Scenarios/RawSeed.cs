using GovEvents.Bench.Workload;
using Npgsql;
using NpgsqlTypes;

namespace GovEvents.Bench.Scenarios;

/// <summary>Creates streams in the raw schema, with the same sample events the store side gets.</summary>
public static class RawSeed
{
    /// <summary>Creates <paramref name="count"/> streams of <paramref name="events"/> events each, in one transaction.</summary>
    public static async Task<string[]> StreamsAsync(NpgsqlDataSource db, string prefix, int count, int events, CancellationToken ct)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Shared.NewStreamId(prefix)).ToArray();
        var now = DateTimeOffset.UtcNow;
        var metadata = RawJson.Serialize(Shared.Metadata);
        var streamIds = new List<string>(); var versions = new List<int>(); var types = new List<string>();
        var data = new List<string>(); var eventIds = new List<Guid>();
        foreach (var id in ids)
            for (var n = 1; n <= events; n++)
            {
                var e = CaseSamples.Event(id, Shared.Seed(id), n);
                streamIds.Add(id); versions.Add(n); types.Add(CaseEventTypes.AliasOf[e.GetType()]);
                data.Add(RawJson.Serialize(e)); eventIds.Add(Guid.CreateVersion7(now));
            }

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand(
            $"insert into {BenchDatabase.RawSchema}.streams (id, type, version, head_hash, created, updated) select id, $2, $3, ''::bytea, $4, $4 from unnest($1::text[]) id", conn, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Shared.StreamType });
            cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = events });
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await using (var cmd = new NpgsqlCommand($"""
            insert into {BenchDatabase.RawSchema}.events (id, stream_id, version, type, data, metadata, "timestamp", hash)
            select e.id, e.stream_id, e.version, e.type, e.data, $6, $7, ''::bytea
              from unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::jsonb[]) as e(id, stream_id, version, type, data)
            """, conn, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = eventIds.ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = streamIds.ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = versions.ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = types.ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = data.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = metadata, NpgsqlDbType = NpgsqlDbType.Jsonb });
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return ids;
    }
}
