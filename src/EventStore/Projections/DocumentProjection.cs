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
        var cache = RebuildCache.For(context, Name);
        var current = new Dictionary<string, (TDoc? Doc, long LastSeq, bool Exists)>(byKey.Count, StringComparer.Ordinal);
        var missing = new List<string>(byKey.Count);
        foreach (var key in byKey.Keys)
        {
            if (cache is not null && cache.TryGet(key, out var known)) current[key] = known;
            else missing.Add(key);
        }
        if (missing.Count > 0)
        {
            await using var load = context.Command($"select id, data::text, last_seq from {table} where id = any($1)");
            load.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = missing.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await using (var r = await load.ExecuteReaderAsync(ct))
                while (await r.ReadAsync(ct))
                    current[r.GetString(0)] = (context.Serializer.Deserialize<TDoc>(r.GetString(1)), r.GetInt64(2), true);
            foreach (var key in missing) current.TryAdd(key, (null, 0, false));
        }

        var upsertIds = new List<string>(byKey.Count);
        var upsertData = new List<string>(byKey.Count);
        var upsertSeqs = new List<long>(byKey.Count);
        var upsertDocs = cache is null ? null : new List<TDoc>(byKey.Count);
        var deletes = new List<string>();
        foreach (var (key, list) in byKey)
        {
            var (doc, lastSeq, exists) = current[key];
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
            upsertDocs?.Add(doc);
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

        cache?.Written(upsertIds, upsertDocs!, upsertSeqs, deletes);
    }

    /// <summary>
    /// During a rebuild, the documents written so far, so that a page needs no load query: the shadow
    /// table started empty and only this projection writes it, so what is not here is not there.
    /// Writes of the open transaction are kept apart and merged once it has committed; a transaction
    /// that used the cache and never reported its commit (it rolled back, perhaps after Apply changed
    /// documents in place) empties the cache, and from then on documents it lacks are loaded. Bounded: past
    /// <see cref="Capacity"/> documents it is emptied the same way.
    /// </summary>
    private sealed class RebuildCache
    {
        private const int Capacity = 200_000;
        private readonly Dictionary<string, (TDoc Doc, long LastSeq)> _committed = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (TDoc? Doc, long LastSeq)> _open = new(StringComparer.Ordinal);
        private ProjectionContext? _openContext;
        private bool _complete = true;

        public static RebuildCache? For(ProjectionContext context, string name)
        {
            if (context.Rebuild is not { } scope) return null;
            var key = "document-projection:" + name;
            if (!scope.Items.TryGetValue(key, out var item)) scope.Items[key] = item = new RebuildCache();
            var cache = (RebuildCache)item;
            if (ReferenceEquals(cache._openContext, context)) return cache;   // a further batch in the same transaction
            // A transaction that used the cache and never committed may have left documents changed in place.
            if (cache._openContext is not null) cache.Forget();
            cache._openContext = context;
            context.OnCommitted(cache.Committed);
            return cache;
        }

        /// <summary>True when the cache knows the document's state (absent included).</summary>
        public bool TryGet(string key, out (TDoc? Doc, long LastSeq, bool Exists) state)
        {
            if (_open.TryGetValue(key, out var open))
                state = (open.Doc, open.LastSeq, open.Doc is not null);
            else if (_committed.TryGetValue(key, out var done))
                state = (done.Doc, done.LastSeq, true);
            else if (_complete)
                state = (null, 0, false);
            else
            {
                state = default;
                return false;
            }
            return true;
        }

        public void Written(List<string> ids, List<TDoc> docs, List<long> seqs, List<string> deleted)
        {
            for (var i = 0; i < ids.Count; i++) _open[ids[i]] = (docs[i], seqs[i]);
            foreach (var id in deleted) _open[id] = (null, 0);
        }

        private void Committed()
        {
            foreach (var (id, (doc, seq)) in _open)
            {
                if (doc is null) _committed.Remove(id);
                else _committed[id] = (doc, seq);
            }
            _open.Clear();
            _openContext = null;
            if (_committed.Count > Capacity) Forget();
        }

        private void Forget()
        {
            _committed.Clear();
            _open.Clear();
            _openContext = null;
            _complete = false;
        }
    }

    /// <summary>Reads one document of the projection's live table; null when there is none.</summary>
    public static async Task<TDoc?> LoadAsync(NpgsqlDataSource ds, string schema, string name, string id, EventSerializer s, CancellationToken ct)
    {
        await using var cmd = ds.CreateCommand($"select data::text from {ProjectionContext.LiveTable(schema, name)} where id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        return await cmd.ExecuteScalarAsync(ct) is string json ? s.Deserialize<TDoc>(json) : null;
    }
}
