using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace GovEvents.EventStore;

/// <summary>
/// Fires due timers, each exactly once however many runners share the database. A timer is
/// claimed with FOR UPDATE SKIP LOCKED (another runner skips it instead of waiting), its handler
/// decides from the stream's current state, and the decided events, the removal of the timer and
/// its log line commit in one transaction. When the stream moved between deciding and appending,
/// the transaction is rolled back and the handler decides again on fresh state.
/// </summary>
public sealed class TimerRunner
{
    private readonly PgEventStore _store;
    private readonly TimerRegistry _registry;
    private readonly ILogger<TimerRunner> _logger;
    private readonly string _claimNext;
    private readonly string _reclaim;
    private readonly string _lockStreams;
    private readonly string _settle;
    private readonly string _fail;

    public TimerRunner(PgEventStore store, TimerRegistry registry, ILogger<TimerRunner>? logger = null)
    {
        _store = store;
        _registry = registry;
        _logger = logger ?? NullLogger<TimerRunner>.Instance;
        var s = store.Schema;
        const string columns = "stream_id, kind, due_at, payload::text, scheduled_by_seq, attempts";
        const string due = "due_at <= $1 and (retry_at is null or retry_at <= $1)";
        _claimNext = $"""
            select {columns} from {s}.timers
             where {due}
               and (stream_id, kind) not in (select x.s, x.k from unnest($2::text[], $3::text[]) as x(s, k))
             order by due_at
             limit 1
               for update skip locked
            """;
        _reclaim = $"select {columns} from {s}.timers where {due} and stream_id = $2 and kind = $3 for update skip locked";
        // NOWAIT: a writer holding the stream may be waiting for this very timer row (its inline
        // TimerProjection cancels it); waiting here would deadlock, so give way and decide again.
        _lockStreams = $"select 1 from {s}.streams where id = any($1) order by id for update nowait";
        _settle = $"""
            with settled as (delete from {s}.timers where stream_id = $1 and kind = $2 and scheduled_by_seq = $3)
            insert into {s}.timer_log (stream_id, kind, due_at, scheduled_by_seq, fired_at, outcome)
            values ($1, $2, $4, $3, $5, $6)
            """;
        _fail = $"""
            with failed as (
                update {s}.timers set attempts = attempts + 1, last_error = $6, retry_at = $7
                 where stream_id = $1 and kind = $2 and scheduled_by_seq = $3)
            insert into {s}.timer_log (stream_id, kind, due_at, scheduled_by_seq, fired_at, outcome, error)
            values ($1, $2, $4, $3, $5, 'failed', $6)
            """;
    }

    /// <summary>How many times a timer's decision is retaken when its stream keeps moving under it.</summary>
    public int MaxConflictRetries { get; init; } = 5;

    /// <summary>Delay before a timer whose handler failed is tried again; doubles with each failure.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The correlation and causation id of the events a timer appends.</summary>
    public static string TimerId(string streamId, string kind, long scheduledBySeq) => $"timer:{streamId}:{kind}:{scheduledBySeq}";

    /// <summary>
    /// Fires every timer due at the store's current time (each (stream, kind) at most once per run);
    /// returns how many appended events.
    /// </summary>
    public async Task<int> RunDueAsync(CancellationToken ct = default)
    {
        var now = _store.Time.GetUtcNow();
        var seen = new HashSet<(string StreamId, string Kind)>();
        var fired = 0;
        while (await FireNextAsync(now, seen, ct) is { } outcome)
            if (outcome == Outcome.Fired) fired++;
        return fired;
    }

    private enum Outcome { Fired, Nothing, Failed, TakenElsewhere }

    private sealed record Claimed(string StreamId, string Kind, DateTimeOffset DueAt, string? PayloadJson, long ScheduledBySeq, int Attempts);

    /// <summary>Claims and fires the next due timer not yet seen in this run; null when none is left.</summary>
    private async Task<Outcome?> FireNextAsync(DateTimeOffset now, HashSet<(string StreamId, string Kind)> seen, CancellationToken ct)
    {
        await using var conn = await _store.DataSource.OpenConnectionAsync(ct);
        (string StreamId, string Kind)? key = null;
        string? lastConflict = null;
        for (var attempt = 0; ; attempt++)
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            var timer = key is { } k
                ? await ClaimAsync(conn, tx, _reclaim, ct, Param(now), Param(k.StreamId), Param(k.Kind))
                : await ClaimAsync(conn, tx, _claimNext, ct, Param(now),
                    Param(seen.Select(x => x.StreamId).ToArray()), Param(seen.Select(x => x.Kind).ToArray()));
            if (timer is null)
                // Nothing left to claim, or after a conflict the timer was cancelled, rescheduled or claimed by another runner.
                return key is null ? null : Outcome.TakenElsewhere;
            key ??= (timer.StreamId, timer.Kind);
            seen.Add(key.Value);

            if (attempt > MaxConflictRetries)
                return await FailAsync(conn, tx, timer, now, $"the stream kept moving while deciding: {lastConflict}", ct);
            if (_registry.HandlerFor(timer.Kind) is not { } handler)
                return await FailAsync(conn, tx, timer, now, $"no handler is registered for timer kind '{timer.Kind}'", ct);

            var metadata = EventMetadata.System with
            {
                CorrelationId = TimerId(timer.StreamId, timer.Kind, timer.ScheduledBySeq),
                CausationId = TimerId(timer.StreamId, timer.Kind, timer.ScheduledBySeq),
            };
            TimerDecision decision;
            try
            {
                using (EventContext.Use(metadata))
                    decision = await handler.DecideAsync(new DueTimer(timer.StreamId, timer.Kind, timer.DueAt, timer.PayloadJson, now), _store, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                _logger.LogWarning(ex, "Timer {Kind} of {StreamId} failed to decide (attempt {Attempt})", timer.Kind, timer.StreamId, timer.Attempts + 1);
                return await FailAsync(conn, tx, timer, now, ex.ToString(), ct);
            }

            if (decision.Appends.Count == 0)
            {
                await SettleAsync(conn, tx, timer, now, "nothing", ct);
                await tx.CommitAsync(ct);
                return Outcome.Nothing;
            }

            await tx.SaveAsync("append", ct);
            try
            {
                await LockStreamsAsync(conn, tx, decision.Appends, ct);
                using (EventContext.Use(metadata))
                    await _store.AppendAsync(Stamp(decision.Appends, metadata), conn, tx, ct);
            }
            catch (Exception ex) when (IsConflict(ex))
            {
                // Give the timer row back too: the writer that moved the stream may be waiting for it.
                await tx.RollbackAsync(ct);
                lastConflict = ex.Message;
                _logger.LogDebug("Timer {Kind} of {StreamId} conflicted ({Message}); deciding again", timer.Kind, timer.StreamId, ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(10 * (attempt + 1) + Random.Shared.Next(10)), ct);
                continue;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                await tx.RollbackAsync("append", ct);
                _logger.LogWarning(ex, "Timer {Kind} of {StreamId} failed to append its decision", timer.Kind, timer.StreamId);
                return await FailAsync(conn, tx, timer, now, ex.ToString(), ct);
            }

            await SettleAsync(conn, tx, timer, now, "fired", ct);
            await tx.CommitAsync(ct);
            _store.Notifier.Signal();
            return Outcome.Fired;
        }
    }

    private static bool IsConflict(Exception ex) =>
        ex is ConcurrencyException
        || ex is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.DeadlockDetected };

    /// <summary>Every event a timer appends is the system's, correlated to the timer that caused it.</summary>
    private static List<StreamAppend> Stamp(IReadOnlyList<StreamAppend> appends, EventMetadata timerMetadata) =>
        appends.Select(a => a with
        {
            Events = a.Events.Select(e => e with
            {
                Metadata = (e.Metadata ?? timerMetadata) with
                {
                    ActorId = timerMetadata.ActorId,
                    ActorKind = timerMetadata.ActorKind,
                    CorrelationId = timerMetadata.CorrelationId,
                    CausationId = timerMetadata.CausationId,
                },
            }).ToList(),
        }).ToList();

    private async Task LockStreamsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<StreamAppend> appends, CancellationToken ct)
    {
        await using var cmd = Command(_lockStreams, conn, tx, Param(appends.Select(a => a.StreamId).Distinct().ToArray()));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<Claimed?> ClaimAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var cmd = Command(sql, conn, tx, parameters);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new Claimed(r.GetString(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2),
            r.IsDBNull(3) ? null : r.GetString(3), r.GetInt64(4), r.GetInt32(5));
    }

    private async Task SettleAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Claimed timer, DateTimeOffset now, string outcome, CancellationToken ct)
    {
        // Deletes the row only if it is still the schedule that fired: the appended events may
        // have rescheduled the same (stream, kind) through TimerProjection.
        await using var cmd = Command(_settle, conn, tx,
            Param(timer.StreamId), Param(timer.Kind), Param(timer.ScheduledBySeq), Param(timer.DueAt), Param(now), Param(outcome));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Records a failure on the timer and leaves it for a later run, after a growing delay.</summary>
    private async Task<Outcome> FailAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Claimed timer, DateTimeOffset now, string error, CancellationToken ct)
    {
        var delay = TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, RetryDelay.Ticks * (1L << Math.Min(timer.Attempts, 20))));
        await using (var cmd = Command(_fail, conn, tx,
            Param(timer.StreamId), Param(timer.Kind), Param(timer.ScheduledBySeq), Param(timer.DueAt), Param(now), Param(error), Param(now + delay)))
            await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return Outcome.Failed;
    }

    private static NpgsqlCommand Command(string sql, NpgsqlConnection conn, NpgsqlTransaction tx, params NpgsqlParameter[] parameters)
    {
        var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.Parameters.AddRange(parameters);
        return cmd;
    }

    private static NpgsqlParameter Param(string value) => new NpgsqlParameter<string> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text };
    private static NpgsqlParameter Param(string[] value) => new NpgsqlParameter<string[]> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
    private static NpgsqlParameter Param(long value) => new NpgsqlParameter<long> { TypedValue = value };
    private static NpgsqlParameter Param(DateTimeOffset value) =>
        new NpgsqlParameter<DateTimeOffset> { TypedValue = value.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz };
}
