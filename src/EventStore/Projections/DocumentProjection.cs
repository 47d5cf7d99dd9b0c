using Npgsql;
using NpgsqlTypes;

namespace GovEvents.EventStore;

/// <summary>
/// A Marten-like document projection: one jsonb document per key (by default the stream id), created
/// and evolved by <see cref="Apply"/> event by event. Its table {schema}.{name} holds
/// (id, data, last_seq); an event at or below a document's last_seq is skipped, so a replay changes nothing.
/// A batch costs two statements however many events and documents it holds: one load of every
/// document it touches, one write of all of them.
/// </summary>
public abstract class DocumentProjection<TDoc> : IProjection where TDoc : class
{
    protected DocumentProjection(string name)
    {
        Name = name;
        Tables = [new ProjectionTable(name, "create table {table} (id text primary key, data jsonb not null, last_seq bigint not null)")];
    }

    public string Name { get; }

    public IReadOnlyList<ProjectionTable> Tables { get; }

    /// <summary>The document an event belongs to; null when the projection ignores the event.</summary>
    protected virtual string? KeyOf(StoredEvent e) => e.StreamId;

    /// <summary>The document after <paramref name="e"/> (<paramref name="current"/> is null before the first); null deletes it.</summary>
    protected abstract TDoc? Apply(TDoc? current, StoredEvent e);

    public async Task ApplyAsync(IReadOnlyList<StoredEvent> events, ProjectionContext context, CancellationToken ct)
    {
        // Group by document, keeping feed order within each.
        var byKey = new Dictionary<string, List<StoredEvent>>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (KeyOf(e) is not { } key) continue;
            if (!byKey.TryGetValue(key, out var list)) byKey[key] = list = [];
            list.Add(e);
        }
        if (byKey.Count == 0) return;

        var table = context.Table(Name);
        var keys = byKey.Keys.ToArray();
        var stored = new Dictionary<string, (string Json, long LastSeq)>(keys.Length, StringComparer.Ordinal);
        await using (var load = context.Command($"select id, data::text, last_seq from {table} where id = any($1)"))
        {
            load.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await using var r = await load.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) stored[r.GetString(0)] = (r.GetString(1), r.GetInt64(2));
        }

        var upsertIds = new List<string>(keys.Length);
        var upsertData = new List<string>(keys.Length);
        var upsertSeqs = new List<long>(keys.Length);
        var deletes = new List<string>();
        foreach (var (key, list) in byKey)
        {
            var exists = stored.TryGetValue(key, out var row);
            var doc = exists ? context.Serializer.Deserialize<TDoc>(row.Json) : null;
            var lastSeq = exists ? row.LastSeq : 0L;
            var changed = false;
            foreach (var e in list)
            {
                if (e.Sequence <= lastSeq) continue;   // already in the document: a replay
                doc = Apply(doc, e);
                lastSeq = e.Sequence;
                changed = true;
            }
            if (!changed) continue;
            if (doc is null)
            {
                if (exists) deletes.Add(key);
                continue;
            }
            upsertIds.Add(key);
            upsertData.Add(context.Serializer.Serialize(doc));
            upsertSeqs.Add(lastSeq);
        }

        await using var write = new NpgsqlBatch(context.Connection, context.Transaction);
        if (upsertIds.Count > 0)
            write.BatchCommands.Add(new NpgsqlBatchCommand($"""
                insert into {table} (id, data, last_seq)
                select * from unnest($1::text[], $2::jsonb[], $3::bigint[])
                on conflict (id) do update set data = excluded.data, last_seq = excluded.last_seq
                """)
            {
                Parameters =
                {
                    new NpgsqlParameter<string[]> { TypedValue = upsertIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                    new NpgsqlParameter<string[]> { TypedValue = upsertData.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb },
                    new NpgsqlParameter<long[]> { TypedValue = upsertSeqs.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
                },
            });
        if (deletes.Count > 0)
            write.BatchCommands.Add(new NpgsqlBatchCommand($"delete from {table} where id = any($1)")
            {
                Parameters = { new NpgsqlParameter<string[]> { TypedValue = deletes.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text } },
            });
        if (write.BatchCommands.Count > 0) await write.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Reads one document of the projection's live table; null when there is none.</summary>
    public static async Task<TDoc?> LoadAsync(NpgsqlDataSource ds, string schema, string name, string id, EventSerializer s, CancellationToken ct)
    {
        await using var cmd = ds.CreateCommand($"select data::text from {ProjectionContext.LiveTable(schema, name)} where id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        return await cmd.ExecuteScalarAsync(ct) is string json ? s.Deserialize<TDoc>(json) : null;
    }
}
