using Npgsql;
using NpgsqlTypes;

namespace GovEvents.EventStore;

/// <summary>
/// A projection's checkpoint row as the live loop reads it. <paramref name="Blocked"/>: committed
/// events lie ahead but an older transaction still in flight holds the horizon back.
/// </summary>
internal sealed record Checkpoint(FeedPosition Position, string Status, bool Blocked = false);

/// <summary>The SQL of the daemon: the feed, checkpoints, dead letters and advisory locks.</summary>
internal sealed class ProjectionStorage(PgEventStore store)
{
    public const string Running = "running";
    public const string Rebuilding = "rebuilding";
    public const string Faulted = "faulted";

    private const string Columns = "e.seq, e.id, e.stream_id, e.version, e.type, e.data, e.metadata, e.\"timestamp\", e.tx_id, e.hash";

    // The horizon: every transaction below it has committed or rolled back, so the feed below it is
    // final. An in-flight transaction holds it back; a rolled-back one simply leaves nothing behind.
    // It is pg_snapshot_xmin(pg_current_snapshot()), except that transaction ids are cluster-wide:
    // a transaction of a session connected to another database cannot write our events (a session
    // never changes database), so it does not hold our projections back, whether it holds relation
    // locks there or, like CREATE DATABASE, none. A transaction that cannot be placed (no database,
    // a prepared transaction, or already ended) still counts: the rule only ever errs towards waiting.
    // Evaluated in the reading statement, so it describes that statement's own snapshot.
    private const string Horizon = """
        (with s as (select pg_current_snapshot() as snap),
              elsewhere as (
                  select a.backend_xid from pg_stat_activity a
                   where a.backend_xid is not null and a.datid is not null
                     and a.datid <> (select oid from pg_database where datname = current_database()))
         select case when pg_snapshot_xmin(s.snap) = pg_snapshot_xmax(s.snap) then pg_snapshot_xmax(s.snap)
                     else coalesce((select min(x) from pg_snapshot_xip(s.snap) x where xid(x) not in (select backend_xid from elsewhere)),
                                   pg_snapshot_xmax(s.snap))
                end
           from s)
        """;

    private readonly string _schema = store.Schema;

    public PgEventStore Store => store;
    public NpgsqlDataSource DataSource => store.DataSource;
    private string Progress => $"{_schema}.projection_progress";
    private string Events => $"{_schema}.events";

    public static NpgsqlParameter<ulong> Xid(ulong value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Xid8 };
    public static NpgsqlParameter<long> Long(long value) => new() { TypedValue = value };
    public static NpgsqlParameter<string> Text(string value) => new() { TypedValue = value };
    public static NpgsqlParameter<int> Int(int value) => new() { TypedValue = value };

    public async Task EnsureCheckpointAsync(NpgsqlConnection conn, string name, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"insert into {Progress} (name) values ($1) on conflict (name) do nothing", conn);
        cmd.Parameters.Add(Text(name));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The checkpoint and, when the projection is running, the next events after it, in one round trip.
    /// </summary>
    public async Task<(Checkpoint? Checkpoint, List<StoredEvent> Events)> ReadNextAsync(NpgsqlConnection conn, string name, int limit, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(conn)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"""
                    select p.last_tx, p.last_seq, p.status,
                           exists (select 1 from {Events} e where (e.tx_id, e.seq) > (p.last_tx, p.last_seq))
                      from {Progress} p where p.name = $1
                    """) { Parameters = { Text(name) } },
                new NpgsqlBatchCommand($"""
                    select {Columns}, p.last_tx, p.last_seq
                      from {Progress} p
                      join {Events} e on (e.tx_id, e.seq) > (p.last_tx, p.last_seq)
                     where p.name = $1 and p.status = '{Running}' and e.tx_id < {Horizon}
                     order by e.tx_id, e.seq
                     limit $2
                    """) { Parameters = { Text(name), Int(limit) } },
            },
        };
        // Polled often and costly to plan (the horizon): prepared once per physical connection.
        await batch.PrepareAsync(ct);
        await using var r = await batch.ExecuteReaderAsync(ct);
        Checkpoint? checkpoint = null;
        if (await r.ReadAsync(ct))
            checkpoint = new Checkpoint(new FeedPosition(r.GetFieldValue<ulong>(0), r.GetInt64(1)), r.GetString(2), r.GetBoolean(3));
        await r.NextResultAsync(ct);
        var events = new List<StoredEvent>();
        FeedPosition? from = null;
        while (await r.ReadAsync(ct))
        {
            events.Add(ReadEvent(r));
            from ??= new FeedPosition(r.GetFieldValue<ulong>(10), r.GetInt64(11));
        }
        // The events were read under their own snapshot: the checkpoint they follow is the one to advance from.
        if (from is { } f && checkpoint is not null) checkpoint = checkpoint with { Position = f, Status = Running };
        return (checkpoint, events);
    }

    /// <summary>Columns as <see cref="Columns"/>; the metadata is parsed only if a projection asks for it.</summary>
    private StoredEvent ReadEvent(NpgsqlDataReader r)
    {
        var (alias, data) = store.Serializer.DeserializeEvent(r.GetString(4), r.GetString(5));
        return StoredEvent.WithLazyMetadata(
            r.GetInt64(0), r.GetGuid(1), r.GetString(2), r.GetInt32(3), alias, data, r.GetString(6), store.Serializer,
            r.GetFieldValue<DateTimeOffset>(7), r.GetFieldValue<ulong>(8), r.GetFieldValue<byte[]>(9));
    }

    /// <summary>Events after <paramref name="from"/> and below <paramref name="horizon"/>, in feed order.</summary>
    public async Task<List<StoredEvent>> ReadPageAsync(NpgsqlConnection conn, FeedPosition from, ulong horizon, int limit, CancellationToken ct, NpgsqlTransaction? tx = null)
    {
        await using var cmd = new NpgsqlCommand($"""
            select {Columns} from {Events} e
             where (e.tx_id, e.seq) > ($1, $2) and e.tx_id < $3
             order by e.tx_id, e.seq
             limit $4
            """, conn, tx);
        cmd.Parameters.Add(Xid(from.Tx));
        cmd.Parameters.Add(Long(from.Seq));
        cmd.Parameters.Add(Xid(horizon));
        cmd.Parameters.Add(Int(limit));
        var list = new List<StoredEvent>(Math.Min(limit, 16_384));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(ReadEvent(r));
        return list;
    }

    /// <summary>The current horizon: every transaction below it has finished.</summary>
    public async Task<ulong> HorizonAsync(NpgsqlConnection conn, CancellationToken ct, NpgsqlTransaction? tx = null)
    {
        await using var cmd = new NpgsqlCommand($"select {Horizon}", conn, tx);
        return (ulong)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>How many events lie after <paramref name="from"/> and below <paramref name="horizon"/>.</summary>
    public async Task<long> CountAsync(NpgsqlConnection conn, FeedPosition from, ulong horizon, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"select count(*) from {Events} e where (e.tx_id, e.seq) > ($1, $2) and e.tx_id < $3", conn);
        cmd.Parameters.Add(Xid(from.Tx));
        cmd.Parameters.Add(Long(from.Seq));
        cmd.Parameters.Add(Xid(horizon));
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Optimistic advance, first statement of a batch's transaction: it row-locks the checkpoint
    /// (so a competing writer waits, then finds it moved) and fails when someone else advanced it.
    /// </summary>
    public async Task<bool> AdvanceAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string name, FeedPosition from, FeedPosition to, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            update {Progress} set last_tx = $2, last_seq = $3, updated_at = now()
             where name = $1 and last_tx = $4 and last_seq = $5 and status = '{Running}'
            """, conn, tx);
        cmd.Parameters.Add(Text(name));
        cmd.Parameters.Add(Xid(to.Tx));
        cmd.Parameters.Add(Long(to.Seq));
        cmd.Parameters.Add(Xid(from.Tx));
        cmd.Parameters.Add(Long(from.Seq));
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Stops a running projection at <paramref name="at"/>, naming the event that failed.</summary>
    public async Task FaultAsync(NpgsqlConnection conn, string name, FeedPosition at, StoredEvent failed, string error, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            update {Progress} set status = '{Faulted}', error = $4, failed_seq = $5, updated_at = now()
             where name = $1 and last_tx = $2 and last_seq = $3 and status = '{Running}'
            """, conn);
        cmd.Parameters.Add(Text(name));
        cmd.Parameters.Add(Xid(at.Tx));
        cmd.Parameters.Add(Long(at.Seq));
        cmd.Parameters.Add(Text(error));
        cmd.Parameters.Add(Long(failed.Sequence));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task DeadLetterAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string name, StoredEvent e, string error, CancellationToken ct)
    {
        // A rebuild meets the same poison event the live run already recorded: keep one letter.
        await using var cmd = new NpgsqlCommand($"""
            insert into {_schema}.dead_letters (projection, seq, event_id, stream_id, type, error)
            select $1, $2, $3, $4, $5, $6
             where not exists (select 1 from {_schema}.dead_letters where projection = $1 and seq = $2)
            """, conn, tx);
        cmd.Parameters.Add(Text(name));
        cmd.Parameters.Add(Long(e.Sequence));
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = e.Id });
        cmd.Parameters.Add(Text(e.StreamId));
        cmd.Parameters.Add(Text(e.Type));
        cmd.Parameters.Add(Text(error));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task<bool> TryLockAsync(NpgsqlConnection conn, string key, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select pg_try_advisory_lock(hashtextextended($1, 0))", conn);
        cmd.Parameters.Add(Text(key));
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public static async Task UnlockAsync(NpgsqlConnection conn, string key, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select pg_advisory_unlock(hashtextextended($1, 0))", conn);
        cmd.Parameters.Add(Text(key));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task XactLockAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string key, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended($1, 0))", conn, tx);
        cmd.Parameters.Add(Text(key));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// A checkpoint left 'rebuilding' by a node that died mid-rebuild (its session lock is gone):
    /// back to running, with the reason shown. The checkpoint itself was never moved by the rebuild.
    /// </summary>
    public async Task<bool> RecoverAbandonedRebuildAsync(NpgsqlConnection conn, ProjectionNames names, CancellationToken ct)
    {
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var probe = new NpgsqlCommand("select pg_try_advisory_xact_lock(hashtextextended($1, 0))", conn, tx))
        {
            probe.Parameters.Add(Text(names.RebuildKey));
            if (!(bool)(await probe.ExecuteScalarAsync(ct))!) return false;
        }
        await using var cmd = new NpgsqlCommand($"""
            update {Progress} set status = '{Running}', error = 'an interrupted rebuild was abandoned', rebuild_done = null, rebuild_total = null, updated_at = now()
             where name = $1 and status = '{Rebuilding}'
            """, conn, tx);
        cmd.Parameters.Add(Text(names.Name));
        var recovered = await cmd.ExecuteNonQueryAsync(ct) == 1;
        await tx.CommitAsync(ct);
        return recovered;
    }

    /// <summary>What the checkpoint said before a rebuild, to put back when the rebuild is abandoned.</summary>
    public sealed record PriorState(string Status, string? Error, long? FailedSequence);

    /// <summary>Marks the projection rebuilding (the live loop pauses; readers keep the live tables).</summary>
    public async Task<PriorState> BeginRebuildAsync(NpgsqlConnection conn, string name, long total, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            with old as (select status, error, failed_seq from {Progress} where name = $1 for update)
            update {Progress} p
               set status = '{Rebuilding}', rebuild_total = $2, rebuild_done = 0, error = null, failed_seq = null, updated_at = now()
              from old
             where p.name = $1
            returning old.status, old.error, old.failed_seq
            """, conn);
        cmd.Parameters.Add(Text(name));
        cmd.Parameters.Add(Long(total));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) throw new InvalidOperationException($"Projection {name} has no checkpoint row.");
        // A status of 'rebuilding' here was left by a rebuilder that died (we hold the rebuild lock now).
        var status = r.GetString(0) == Rebuilding ? Running : r.GetString(0);
        return new PriorState(status, r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetInt64(2));
    }

    public async Task SetRebuildTotalAsync(NpgsqlConnection conn, string name, long total, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"update {Progress} set rebuild_total = $2, updated_at = now() where name = $1 and status = '{Rebuilding}'", conn);
        cmd.Parameters.Add(Text(name));
        cmd.Parameters.Add(Long(total));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task AddRebuildDoneAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string name, int count, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"update {Progress} set rebuild_done = rebuild_done + $2, updated_at = now() where name = $1", conn, tx);
        cmd.Parameters.Add(Text(name));
        cmd.Parameters.Add(Int(count));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>First statement of the swap: waits for a live batch in flight, then holds everyone off.</summary>
    public async Task LockCheckpointAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string name, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"select 1 from {Progress} where name = $1 for update", conn, tx);
        cmd.Parameters.Add(Text(name));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task FinishRebuildAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string name, FeedPosition at, long done, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            update {Progress}
               set last_tx = $2, last_seq = $3, status = '{Running}', error = null, failed_seq = null,
                   rebuild_done = $4, rebuild_total = $4, updated_at = now()
             where name = $1
            """, conn, tx);
        cmd.Parameters.Add(Text(name));
        cmd.Parameters.Add(Xid(at.Tx));
        cmd.Parameters.Add(Long(at.Seq));
        cmd.Parameters.Add(Long(done));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A rebuild met an event that keeps failing: faulted there, live tables and checkpoint untouched.</summary>
    public async Task FaultRebuildAsync(NpgsqlConnection conn, string name, long failedSeq, string error, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            update {Progress} set status = '{Faulted}', error = $2, failed_seq = $3, updated_at = now()
             where name = $1 and status = '{Rebuilding}'
            """, conn);
        cmd.Parameters.Add(Text(name));
        cmd.Parameters.Add(Text("rebuild: " + error));
        cmd.Parameters.Add(Long(failedSeq));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task AbandonRebuildAsync(NpgsqlConnection conn, string name, PriorState prior, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            update {Progress} set status = $2, error = $3, failed_seq = $4, rebuild_done = null, rebuild_total = null, updated_at = now()
             where name = $1 and status = '{Rebuilding}'
            """, conn);
        cmd.Parameters.Add(Text(name));
        cmd.Parameters.Add(Text(prior.Status));
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)prior.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)prior.FailedSequence ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<ProjectionStatus>> StatusAsync(IReadOnlyList<string> names, CancellationToken ct)
    {
        await using var cmd = DataSource.CreateCommand($"""
            select n.name, coalesce(p.last_seq, 0), coalesce(p.status, '{Running}'), p.error, p.failed_seq, p.rebuild_done, p.rebuild_total,
                   (select count(*) from {Events} e
                     where (e.tx_id, e.seq) > (coalesce(p.last_tx, '0'::xid8), coalesce(p.last_seq, 0)))
              from unnest($1::text[]) with ordinality n(name, i)
              left join {Progress} p on p.name = n.name
             order by n.i
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = names.ToArray() });
        var list = new List<ProjectionStatus>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new ProjectionStatus(r.GetString(0), r.GetInt64(1), r.GetInt64(7), r.GetString(2),
                r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetInt64(4),
                r.IsDBNull(5) ? null : r.GetInt64(5), r.IsDBNull(6) ? null : r.GetInt64(6)));
        return list;
    }

    public async Task<long> HeadAsync(CancellationToken ct)
    {
        await using var cmd = DataSource.CreateCommand($"select coalesce(max(seq), 0) from {Events}");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>How many of <paramref name="names"/> have a committed event at or below <paramref name="head"/> still ahead of them.</summary>
    public async Task<int> BehindAsync(IReadOnlyList<string> names, long head, CancellationToken ct)
    {
        await using var cmd = DataSource.CreateCommand($"""
            select count(*)::int
              from unnest($1::text[]) n(name)
              left join {Progress} p on p.name = n.name
             where p.name is null
                or exists (select 1 from {Events} e where e.seq <= $2 and (e.tx_id, e.seq) > (p.last_tx, p.last_seq))
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = names.ToArray() });
        cmd.Parameters.Add(Long(head));
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task<bool> ResumeAsync(string name, CancellationToken ct)
    {
        await using var cmd = DataSource.CreateCommand($"""
            update {Progress} set status = '{Running}', error = null, failed_seq = null, updated_at = now()
             where name = $1 and status = '{Faulted}'
            """);
        cmd.Parameters.Add(Text(name));
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Wakes daemons in other processes (a resume, a finished rebuild).</summary>
    public async Task NotifyAsync(CancellationToken ct)
    {
        await using var cmd = DataSource.CreateCommand("select pg_notify($1, '')");
        cmd.Parameters.Add(Text(store.Notifier.Channel));
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
