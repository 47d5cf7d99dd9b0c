using Npgsql;
using NpgsqlTypes;

namespace GovEvents.EventStore;

/// <summary>
/// The event store: start and append with an expected version, fetch a stream or the global feed,
/// aggregate a stream at its latest version, at a version or as of a time. Shaped like Marten's
/// IEventStore so that the seam stays obvious.
/// </summary>
public sealed class PgEventStore : IAsyncDisposable
{
    private readonly EventStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly bool _ownsDataSource;
    private readonly string _appendSql;
    private readonly string _startOneSql;
    private readonly string _appendOneSql;
    private readonly string _appendOneAloneSql;
    private readonly string _appendOneGeneralSql;
    private readonly string _selectEvents;

    public PgEventStore(EventStoreOptions options, TimeProvider time, NpgsqlDataSource? dataSource = null)
    {
        options.Validate();
        _options = options;
        _time = time;
        _ownsDataSource = dataSource is null;
        DataSource = dataSource ?? NpgsqlDataSource.Create(options.ConnectionString);
        Serializer = new EventSerializer(options.Types);
        Notifier = new AppendNotifier(DataSource, options.NotifyChannel, options.NotifyOnAppend);
        _appendSql = $"select out_seq, out_version, out_tx, out_hash from {options.Schema}.append_events($1, $2, $3, $4, $5, $6, $7, $8)";
        var s = options.Schema;
        // The one-event statements take the event as scalar parameters ($4 id, $5 type, $6 data,
        // $7 metadata, $8 timestamp): binding five one-element arrays cost measurable server CPU.
        // A new stream with one event: two plain inserts; an existing stream fails on the primary key
        // (23505 streams_pkey), reported as the same ConcurrencyException, before any sequence is drawn.
        _startOneSql = $"""
            with s as (
                insert into {s}.streams (id, type, version, head_hash, created, updated, last_tx)
                values ($1, $2, 1, {s}.event_hash(''::bytea, $1, 1, $5, $6, $7, $8), $8, $8, pg_current_xact_id())
                returning head_hash)
            insert into {s}.events (id, stream_id, version, type, data, metadata, "timestamp", hash)
            select $4, $1, 1, $5, $6, $7, $8, s.head_hash from s
            returning seq, version, tx_id, hash
            """;
        // One event at a known version, the common case, as one plain statement (no plpgsql call):
        // the stream row is moved (row lock, version, archive and 0003's order check, hash chain) and
        // the event inserted with its chained hash. When it moves nothing (a conflict, an archived
        // stream, the order rule) append_events' general path raises the precise error, before any
        // sequence is drawn: alone in its batch, as a second statement after this one wrote nothing
        // (initialising a fallback branch on every call cost more server CPU than that rare round
        // trip); next to other appends in one implicit transaction, inside the same statement.
        var moveHead = $"""
            with s as (
                update {s}.streams st
                   set version = st.version + 1,
                       head_hash = {s}.event_hash(st.head_hash, $1, st.version + 1, $5, $6, $7, $8),
                       updated = $8, last_tx = pg_current_xact_id()
                 where st.id = $1 and st.version = $3 and not st.archived
                   and (st.last_tx is null or st.last_tx <= pg_current_xact_id())
                returning st.version, st.head_hash)
            """;
        var insertEvent = $"""
            insert into {s}.events (id, stream_id, version, type, data, metadata, "timestamp", hash)
            select $4, $1, s.version, $5, $6, $7, $8, s.head_hash from s
            returning seq, version, tx_id, hash
            """;
        _appendOneAloneSql = $"""
            {moveHead}
            {insertEvent}
            """;
        _appendOneSql = $"""
            {moveHead},
            e as ({insertEvent})
            select * from e
            union all
            select f.* from (select 1 where not exists (select 1 from s)) g
              cross join lateral {s}.append_events($1, $2, $3, array[$4], array[$5], array[$6], array[$7], array[$8]) f
            """;
        _appendOneGeneralSql = $"select out_seq, out_version, out_tx, out_hash from {s}.append_events($1, $2, $3, array[$4], array[$5], array[$6], array[$7], array[$8])";
        _selectEvents = $"select seq, id, stream_id, version, type, data, metadata, \"timestamp\", tx_id, hash from {options.Schema}.events";
    }

    // Why the hot paths prepare their statements: Npgsql resets a pooled connection on
    // every close with DISCARD ALL unless the connection holds prepared statements. DISCARD ALL
    // includes DISCARD PLANS, which throws away the cached plans of every statement inside
    // append_events, so each append re-parsed and re-planned the function's SELECT ... FOR UPDATE,
    // INSERTs and UPDATE (measured: ~2x the server CPU of raw inserts at 16 writers). Prepared
    // statements are kept per physical connection, so after the first call per connection
    // PrepareAsync is a dictionary lookup, and the reset skips DISCARD PLANS.

    public NpgsqlDataSource DataSource { get; }
    public EventSerializer Serializer { get; }
    public EventStoreOptions Options => _options;
    public string Schema => _options.Schema;
    public TimeProvider Time => _time;

    /// <summary>Signals local and remote daemons that new events were committed.</summary>
    public AppendNotifier Notifier { get; }

    // ---- writes -------------------------------------------------------------------------------

    /// <summary>Starts a new stream; a <see cref="ConcurrencyException"/> if it already exists.</summary>
    public Task<AppendResult> StartStreamAsync(string streamId, string streamType, IEnumerable<object> events, CancellationToken ct = default) =>
        AppendAsync([new StreamAppend(streamId, streamType, ExpectedVersion.New, Wrap(events))], ct);

    /// <summary>Appends to a stream that must be at <paramref name="expected"/> (or any version).</summary>
    public Task<AppendResult> AppendAsync(string streamId, string streamType, ExpectedVersion expected, IEnumerable<object> events, CancellationToken ct = default) =>
        AppendAsync([new StreamAppend(streamId, streamType, expected, Wrap(events))], ct);

    /// <summary>Appends to one or more streams in one transaction, with the inline projections.</summary>
    public async Task<AppendResult> AppendAsync(IReadOnlyList<StreamAppend> appends, CancellationToken ct = default)
    {
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        if (_options.InlineProjections.Count == 0)
        {
            // One round trip; a batch without an explicit transaction runs as one implicit transaction.
            var stored = await WriteAsync(appends, conn, null, ct);
            Notifier.Signal();
            return new AppendResult(stored);
        }
        await using var tx = await conn.BeginTransactionAsync(ct);
        var result = await AppendAsync(appends, conn, tx, ct);
        await tx.CommitAsync(ct);
        Notifier.Signal();
        return result;
    }

    /// <summary>
    /// Appends inside the caller's transaction (timers use it to append and settle atomically).
    /// The caller commits; inline projections run here.
    /// </summary>
    public async Task<AppendResult> AppendAsync(IReadOnlyList<StreamAppend> appends, NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct = default)
    {
        var stored = await WriteAsync(appends, conn, tx, ct);
        if (_options.InlineProjections.Count > 0)
        {
            var context = new ProjectionContext(conn, tx, Schema, Serializer, name => ProjectionContext.LiveTable(Schema, name));
            foreach (var projection in _options.InlineProjections)
                await projection.ApplyAsync(stored, context, ct);
        }
        return new AppendResult(stored);
    }

    private async Task<List<StoredEvent>> WriteAsync(IReadOnlyList<StreamAppend> appends, NpgsqlConnection conn, NpgsqlTransaction? tx, CancellationToken ct)
    {
        if (appends.Count == 0 || appends.Any(a => a.Events.Count == 0))
            throw new ArgumentException("Every stream append needs at least one event.", nameof(appends));

        var now = _time.GetUtcNow().ToUniversalTime();
        var ambient = EventContext.Current;
        var pending = new List<(StreamAppend Append, EventToAppend Event, Guid Id, string Alias, EventMetadata Meta)>();

        await using var batch = new NpgsqlBatch(conn, tx);
        foreach (var append in appends)
        {
            var n = append.Events.Count;
            var ids = new Guid[n];
            var types = new string[n];
            var data = new string[n];
            var metadata = new string[n];
            var stamps = new DateTimeOffset[n];
            for (var i = 0; i < n; i++)
            {
                var e = append.Events[i];
                ids[i] = e.Id ?? Guid.CreateVersion7(now);
                types[i] = _options.Types.AliasFor(e.Data.GetType());
                data[i] = Serializer.Serialize(e.Data);
                var meta = e.Metadata ?? ambient;
                metadata[i] = Serializer.Serialize(meta);
                stamps[i] = now;
                pending.Add((append, e, ids[i], types[i], meta));
            }
            var sql = n != 1 ? _appendSql
                : append.Expected.Value == 0 ? _startOneSql
                : append.Expected.Value > 0 ? (appends.Count == 1 ? _appendOneAloneSql : _appendOneSql)
                : _appendSql;
            var cmd = new NpgsqlBatchCommand(sql);
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = append.StreamId, NpgsqlDbType = NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = append.StreamType, NpgsqlDbType = NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)append.Expected.Value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
            if (sql == _appendSql)
            {
                cmd.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
                cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = types, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = data, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
                cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = metadata, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
                cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = stamps, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            }
            else
            {
                cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = ids[0], NpgsqlDbType = NpgsqlDbType.Uuid });
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = types[0], NpgsqlDbType = NpgsqlDbType.Text });
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = data[0], NpgsqlDbType = NpgsqlDbType.Jsonb });
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = metadata[0], NpgsqlDbType = NpgsqlDbType.Jsonb });
                cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = stamps[0], NpgsqlDbType = NpgsqlDbType.TimestampTz });
            }
            batch.BatchCommands.Add(cmd);
        }

        var stored = new List<StoredEvent>(pending.Count);
        try
        {
            // Prepared: the append function's own plans then survive between calls (see the note above DataSource).
            await ExecuteAsync(batch);
            if (stored.Count == 0 && batch.BatchCommands[0].CommandText == _appendOneAloneSql)
            {
                // The lone fast path moved nothing (and wrote nothing): the general path decides. It
                // raises the precise refusal, or appends when only 0003's order rule stopped the fast
                // path and this second statement runs in a newer transaction of its own.
                await using var general = new NpgsqlBatch(conn, tx);
                var cmd = new NpgsqlBatchCommand(_appendOneGeneralSql);
                foreach (NpgsqlParameter parameter in batch.BatchCommands[0].Parameters)
                    cmd.Parameters.Add(parameter.Clone());
                general.BatchCommands.Add(cmd);
                await ExecuteAsync(general);
            }
        }
        catch (PostgresException ex) when (ex.SqlState == "GE409")
        {
            var streamId = appends.FirstOrDefault(a => ex.MessageText.Contains($"stream {a.StreamId} "))?.StreamId ?? appends[0].StreamId;
            var expected = appends.First(a => a.StreamId == streamId).Expected;
            throw new ConcurrencyException(streamId, expected, ActualVersion(ex.MessageText), ex.MessageText);
        }
        catch (PostgresException ex) when (ex.SqlState == "GE410")
        {
            var streamId = appends.FirstOrDefault(a => ex.MessageText.Contains($"stream {a.StreamId} "))?.StreamId ?? appends[0].StreamId;
            throw new StreamArchivedException(streamId);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "streams_pkey")
        {
            var started = appends.FirstOrDefault(a => a.Expected.Value == 0 && a.Events.Count == 1) ?? appends[0];
            throw new ConcurrencyException(started.StreamId, started.Expected, null, $"stream {started.StreamId} already exists");
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "events_stream_version")
        {
            throw new ConcurrencyException(appends[0].StreamId, appends[0].Expected, null, ex.MessageText);
        }
        return stored;

        async Task ExecuteAsync(NpgsqlBatch statements)
        {
            await statements.PrepareAsync(ct);
            await using var reader = await statements.ExecuteReaderAsync(ct);
            var k = 0;
            do
            {
                while (await reader.ReadAsync(ct))
                {
                    var p = pending[k++];
                    stored.Add(new StoredEvent(
                        reader.GetInt64(0), p.Id, p.Append.StreamId, reader.GetInt32(1), p.Alias, p.Event.Data, p.Meta,
                        now, reader.GetFieldValue<ulong>(2), reader.GetFieldValue<byte[]>(3)));
                }
            } while (await reader.NextResultAsync(ct));
        }
    }

    // The append function states the version it found as "[actual=n]" (DETAIL is redacted by Npgsql).
    private static int? ActualVersion(string message)
    {
        var m = System.Text.RegularExpressions.Regex.Match(message, @"\[actual=(-?\d+)\]");
        return m.Success ? int.Parse(m.Groups[1].Value) : null;
    }

    /// <summary>Marks a stream archived: it keeps its history and takes no new events.</summary>
    public async Task ArchiveStreamAsync(string streamId, CancellationToken ct = default)
    {
        await using var cmd = DataSource.CreateCommand($"update {Schema}.streams set archived = true where id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static List<EventToAppend> Wrap(IEnumerable<object> events) =>
        events.Select(e => e as EventToAppend ?? new EventToAppend(e)).ToList();

    // ---- reads --------------------------------------------------------------------------------

    public async Task<StreamState?> FetchStreamStateAsync(string streamId, CancellationToken ct = default)
    {
        await using var cmd = DataSource.CreateCommand($"select id, type, version, created, updated, archived from {Schema}.streams where id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new StreamState(r.GetString(0), r.GetString(1), r.GetInt32(2),
            r.GetFieldValue<DateTimeOffset>(3), r.GetFieldValue<DateTimeOffset>(4), r.GetBoolean(5));
    }

    /// <summary>A stream's events from a version, optionally up to a version or as of a time.</summary>
    public async Task<IReadOnlyList<StoredEvent>> FetchStreamAsync(
        string streamId, int fromVersion = 1, int? toVersion = null, DateTimeOffset? asOf = null, CancellationToken ct = default)
    {
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(
            $"{_selectEvents} where stream_id = $1 and version >= $2 and version <= $3 and \"timestamp\" <= $4 order by version", conn);
        AddStreamFilter(cmd, streamId, fromVersion, toVersion, asOf);
        await cmd.PrepareAsync(ct);
        return await ReadEventsAsync(cmd, ct);
    }

    /// <summary>The global feed in sequence order from <paramref name="fromSequence"/> (inclusive).</summary>
    public async Task<IReadOnlyList<StoredEvent>> ReadAllAsync(long fromSequence, int limit, CancellationToken ct = default)
    {
        await using var cmd = DataSource.CreateCommand($"{_selectEvents} where seq >= $1 order by seq limit $2");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = fromSequence });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadEventsAsync(cmd, ct);
    }

    /// <summary>Every event of every stream of a type, stream by stream in version order (small reference streams).</summary>
    public async Task<IReadOnlyList<StoredEvent>> FetchStreamsOfTypeAsync(string streamType, CancellationToken ct = default)
    {
        await using var cmd = DataSource.CreateCommand(
            $"select e.seq, e.id, e.stream_id, e.version, e.type, e.data, e.metadata, e.\"timestamp\", e.tx_id, e.hash " +
            $"from {Schema}.events e join {Schema}.streams s on s.id = e.stream_id where s.type = $1 order by e.stream_id, e.version");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamType });
        return await ReadEventsAsync(cmd, ct);
    }

    /// <summary>
    /// Folds a stream into state at its latest version, at <paramref name="version"/> or as of
    /// <paramref name="asOf"/>; null when the stream has no events in that range.
    /// </summary>
    public async Task<Aggregate<T>?> AggregateStreamAsync<T>(
        string streamId, T initial, Func<T, object, T> evolve, int? version = null, DateTimeOffset? asOf = null, CancellationToken ct = default)
    {
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(
            $"select version, type, data from {Schema}.events where stream_id = $1 and version >= $2 and version <= $3 and \"timestamp\" <= $4 order by version", conn);
        AddStreamFilter(cmd, streamId, 1, version, asOf);
        await cmd.PrepareAsync(ct);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var state = initial;
        var at = 0;
        while (await r.ReadAsync(ct))
        {
            at = r.GetInt32(0);
            var (_, data) = Serializer.DeserializeEvent(r.GetString(1), r.GetString(2));
            state = evolve(state, data);
        }
        return at == 0 ? null : new Aggregate<T>(state, at);
    }

    private static void AddStreamFilter(NpgsqlCommand cmd, string streamId, int fromVersion, int? toVersion, DateTimeOffset? asOf)
    {
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = fromVersion });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = toVersion ?? int.MaxValue });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = (asOf ?? DateTimeOffset.MaxValue).ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
    }

    /// <summary>Reads rows shaped like <c>_selectEvents</c> into stored events.</summary>
    public async Task<IReadOnlyList<StoredEvent>> ReadEventsAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var list = new List<StoredEvent>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(ReadEvent(r));
        return list;
    }

    /// <summary>Columns: seq, id, stream_id, version, type, data, metadata, timestamp, tx_id, hash.</summary>
    public StoredEvent ReadEvent(NpgsqlDataReader r)
    {
        var (alias, data) = Serializer.DeserializeEvent(r.GetString(4), r.GetString(5));
        return new StoredEvent(
            r.GetInt64(0), r.GetGuid(1), r.GetString(2), r.GetInt32(3), alias, data,
            Serializer.Deserialize<EventMetadata>(r.GetString(6)) ?? EventMetadata.System,
            r.GetFieldValue<DateTimeOffset>(7), r.GetFieldValue<ulong>(8), r.GetFieldValue<byte[]>(9));
    }

    /// <summary>The select list <see cref="ReadEvent"/> expects, for other readers of the events table.</summary>
    public string SelectEventsSql => _selectEvents;

    public async ValueTask DisposeAsync()
    {
        await Notifier.DisposeAsync();
        if (_ownsDataSource) await DataSource.DisposeAsync();
    }
}

/// <summary>State folded from a stream, and the version it was folded at.</summary>
public sealed record Aggregate<T>(T State, int Version);
