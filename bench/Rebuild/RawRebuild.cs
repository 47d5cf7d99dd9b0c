using GovEvents.Bench.Scenarios;
using GovEvents.Bench.Workload;
using Npgsql;
using NpgsqlTypes;

namespace GovEvents.Bench.Rebuild;

/// <summary>
/// The raw baseline of a rebuild: page Marten's mt_events of the rebuild schema by seq_id (keyset), deserialize
/// each event, load the current documents of the page's streams, fold, and upsert the page's
/// documents in one statement (unnest), one transaction per page. No cache across pages and no
/// overlap of reading and writing: what a straightforward, well-written loop does.
/// </summary>
public sealed class RawRebuild(NpgsqlDataSource db, string eventsTable, int pageSize, bool prepare)
{
    private static readonly string Docs = $"{BenchDatabase.RawSchema}.case_docs";

    public static string DocsTable => Docs;

    public async Task<long> RunAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using (var truncate = new NpgsqlCommand($"truncate {Docs}", conn))
            await truncate.ExecuteNonQueryAsync(ct);

        var pageSql = $"select seq_id, stream_id, type, data from {eventsTable} where seq_id > $1 order by seq_id limit $2";
        var loadSql = $"select id, data from {Docs} where id = any($1)";
        var upsertSql = $"""
            insert into {Docs} (id, data, last_seq)
            select * from unnest($1::text[], $2::jsonb[], $3::bigint[])
            on conflict (id) do update set data = excluded.data, last_seq = excluded.last_seq
            """;

        long last = 0, processed = 0;
        var page = new List<(long Seq, string StreamId, object Data)>(pageSize);
        while (true)
        {
            page.Clear();
            await using (var cmd = new NpgsqlCommand(pageSql, conn))
            {
                cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = last });
                cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = pageSize });
                if (prepare) await cmd.PrepareAsync(ct);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                    page.Add((r.GetInt64(0), r.GetString(1), RawJson.Deserialize(r, 3, CaseEventTypes.ByAlias[r.GetString(2)])));
            }
            if (page.Count == 0) return processed;

            await using var tx = await conn.BeginTransactionAsync(ct);
            var docs = new Dictionary<string, (CaseSummary Doc, long Seq)>();
            var keys = page.Select(e => e.StreamId).Distinct().ToArray();
            await using (var cmd = new NpgsqlCommand(loadSql, conn, tx))
            {
                cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys });
                if (prepare) await cmd.PrepareAsync(ct);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct)) docs[r.GetString(0)] = (RawJson.Deserialize<CaseSummary>(r, 1), 0);
            }
            foreach (var (seq, streamId, data) in page)
            {
                var current = docs.TryGetValue(streamId, out var d) ? d.Doc : CaseSummary.Empty;
                docs[streamId] = (CaseSummary.Evolve(current, data), seq);
            }
            await using (var cmd = new NpgsqlCommand(upsertSql, conn, tx))
            {
                var changed = docs.Where(p => p.Value.Seq > 0).ToArray();
                cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = changed.Select(p => p.Key).ToArray() });
                cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = changed.Select(p => RawJson.Serialize(p.Value.Doc)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
                cmd.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = changed.Select(p => p.Value.Seq).ToArray() });
                if (prepare) await cmd.PrepareAsync(ct);
                await cmd.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            processed += page.Count;
            last = page[^1].Seq;
        }
    }
}
