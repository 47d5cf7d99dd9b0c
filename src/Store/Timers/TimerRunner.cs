using Marten;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GovEvents.Store.Timers;

/// <summary>
/// Fires due timers, each exactly once however many runners share the database: a timer's document
/// row is locked (FOR UPDATE SKIP LOCKED: another runner skips it instead of waiting), its handler
/// decides from the stream's current state, and the decided events and the removal of the timer
/// commit in one transaction. Each call is one attempt: when the stream moved between deciding and
/// appending, the caller either gets the <see cref="ConcurrencyException"/> to try again on fresh state
/// (the API's Wolverine handler, whose retry policy does) or has the timer retried after a delay.
/// </summary>
public sealed class TimerRunner(IDocumentStore store, TimerRegistry registry, TimeProvider time, ILogger<TimerRunner> logger)
{
    private const int Page = 100;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    private enum Outcome { Fired, Nothing, Failed, TakenElsewhere }

    /// <summary>Fires every timer due at the clock's now, here; returns how many appended events.</summary>
    public Task<int> RunDueAsync(CancellationToken ct = default) =>
        ForEachDueAsync((id, token) => FireAsync(id, throwOnConflict: false, token), ct);

    /// <summary>
    /// Hands each timer due at the clock's now to <paramref name="fire"/> once (a failed one waits for its
    /// retry time, so it is not due again); returns how many <paramref name="fire"/> reported as fired.
    /// </summary>
    public async Task<int> ForEachDueAsync(Func<string, CancellationToken, Task<bool>> fire, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().ToUniversalTime();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var fired = 0;
        while (true)
        {
            var fresh = (await DueAsync(now, Page + seen.Count, ct)).Where(t => seen.Add(t.Id)).ToList();
            if (fresh.Count == 0) return fired;
            foreach (var timer in fresh)
                if (await fire(timer.Id, ct)) fired++;
        }
    }

    /// <summary>The ids of the timers due at the clock's now, most overdue first (at most <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<string>> DueIdsAsync(int limit, CancellationToken ct = default) =>
        (await DueAsync(time.GetUtcNow().ToUniversalTime(), limit, ct)).Select(t => t.Id).ToList();

    /// <summary>
    /// Fires one timer if it is still due; true when it appended events. A conflict with another append
    /// to its stream throws when <paramref name="throwOnConflict"/> (to be tried again at once), and is
    /// otherwise recorded on the timer, which is then retried after a delay.
    /// </summary>
    public async Task<bool> FireAsync(string timerId, bool throwOnConflict, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().ToUniversalTime();
        await using var query = store.QuerySession();
        var timer = await query.LoadAsync<ScheduledTimer>(timerId, ct);
        if (timer is null || timer.DueAt > now || timer.RetryAt > now) return false;
        return await FireAsync(timer, now, throwOnConflict, ct) == Outcome.Fired;
    }

    private async Task<IReadOnlyList<ScheduledTimer>> DueAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        return await query.Query<ScheduledTimer>()
            .Where(t => t.DueAt <= now && (t.RetryAt == null || t.RetryAt <= now))
            .OrderBy(t => t.DueAt).Take(limit).ToListAsync(ct);
    }

    private async Task<Outcome> FireAsync(ScheduledTimer seen, DateTimeOffset now, bool throwOnConflict, CancellationToken ct)
    {
        try
        {
            return await AttemptAsync(seen, now, ct);
        }
        catch (ConcurrencyException ex) when (!throwOnConflict)
        {
            // That transaction is over (and its lock released): the conflict is recorded in a fresh one.
            logger.LogInformation("Timer {Kind} of {StreamId} conflicted ({Message}); retried later", seen.Kind, seen.StreamId, ex.Message);
            await using var session = store.LightweightSession();
            await session.BeginTransactionAsync(ct);
            return await LockAsync(session, seen, ct) is { } timer
                ? await FailAsync(session, timer, now, $"the stream moved while deciding: {ex.Message}", ct)
                : Outcome.TakenElsewhere;
        }
    }

    private async Task<Outcome> AttemptAsync(ScheduledTimer seen, DateTimeOffset now, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        await session.BeginTransactionAsync(ct);
        if (await LockAsync(session, seen, ct) is not { } timer) return Outcome.TakenElsewhere;
        if (registry.HandlerFor(timer.Kind) is not { } handler)
            return await FailAsync(session, timer, now, $"no handler is registered for timer kind '{timer.Kind}'", ct);

        // Every event a timer appends is the system's, correlated to the schedule that caused it.
        var metadata = EventMetadata.System with { CorrelationId = TimerId(timer), CausationId = TimerId(timer) };
        TimerDecision decision;
        try
        {
            using (EventContext.Use(metadata))
                decision = await handler.DecideAsync(new DueTimer(timer.StreamId, timer.Kind, timer.DueAt, timer.PayloadJson, now), ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Timer {Kind} of {StreamId} failed to decide (attempt {Attempt})", timer.Kind, timer.StreamId, timer.Attempts + 1);
            return await FailAsync(session, timer, now, ex.Message, ct);
        }

        // Removes only the schedule that fired: the appended events may schedule the same (stream, kind) again.
        session.DeleteWhere<ScheduledTimer>(t => t.Id == timer.Id && t.Schedule == timer.Schedule);
        var appends = decision.Appends.Select(a => a with
        {
            Events = a.Events.Select(e => e is EventToAppend own
                ? own with { Metadata = (own.Metadata ?? metadata) with { ActorId = metadata.ActorId, ActorKind = metadata.ActorKind, CorrelationId = metadata.CorrelationId, CausationId = metadata.CausationId } }
                : new EventToAppend(e, metadata)).ToList<object>(),
        }).ToList();
        EventLog.Stage(session, appends);
        await EventLog.SaveAsync(session, appends, ct);
        return appends.Count > 0 ? Outcome.Fired : Outcome.Nothing;
    }

    private static string TimerId(ScheduledTimer t) => $"timer:{t.StreamId}:{t.Kind}:{t.Schedule:N}";

    /// <summary>Locks the timer's row in the session's transaction; null when it is gone, rescheduled or held by another runner.</summary>
    private static async Task<ScheduledTimer?> LockAsync(IDocumentSession session, ScheduledTimer seen, CancellationToken ct)
    {
        var table = $"{session.DocumentStore.Options.DatabaseSchemaName}.mt_doc_scheduled_timer";
        await using var cmd = new NpgsqlCommand($"select 1 from {table} where id = $1 for update skip locked", session.Connection);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = seen.Id });
        if (await cmd.ExecuteScalarAsync(ct) is null) return null;
        var current = await session.LoadAsync<ScheduledTimer>(seen.Id, ct);
        return current?.Schedule == seen.Schedule ? current : null;
    }

    /// <summary>Records a failure on the timer and leaves it for a later run, after a growing delay.</summary>
    private static async Task<Outcome> FailAsync(IDocumentSession session, ScheduledTimer timer, DateTimeOffset now, string error, CancellationToken ct)
    {
        var delay = TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, RetryDelay.Ticks * (1L << Math.Min(timer.Attempts, 20))));
        session.Store(timer with { Attempts = timer.Attempts + 1, LastError = error, RetryAt = now + delay });
        await session.SaveChangesAsync(ct);
        return Outcome.Failed;
    }
}
