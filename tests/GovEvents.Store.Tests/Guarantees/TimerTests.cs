using GovEvents.Store.Timers;
using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;

namespace GovEvents.Store.Tests.Guarantees;

// A tiny domain with a deemed answer: an application not answered by its due time is deemed answered.
public sealed record ApplicationSubmitted(string ApplicationId, DateTimeOffset AnswerDueAt);
public sealed record ApplicationAnswered(string ApplicationId);
/// <summary>Cancels no timer: only the handler, looking at the state, can tell the application is gone.</summary>
public sealed record ApplicationWithdrawn(string ApplicationId);
public sealed record DeemedAnswered(string ApplicationId, DateTimeOffset DueAt);

public static class Applications
{
    public const string DeemedAnswer = "deemed-answer";

    public static string Status(string status, object e) => e switch
    {
        ApplicationSubmitted => "submitted",
        ApplicationAnswered => "answered",
        ApplicationWithdrawn => "withdrawn",
        DeemedAnswered => "deemed-answered",
        _ => status,
    };

    /// <summary>Which events schedule and cancel the timer, and the handler that decides when it fires.</summary>
    public static TimerRegistry Registry(Func<DueTimer, CancellationToken, Task<TimerDecision>> decide) => new TimerRegistry()
        .On<ApplicationSubmitted>(e => TimerInstruction.Schedule(DeemedAnswer, e.AnswerDueAt))
        .On<ApplicationAnswered>(_ => TimerInstruction.Cancel(DeemedAnswer))
        .On<DeemedAnswered>(_ => TimerInstruction.Cancel(DeemedAnswer))
        .Handle(DeemedAnswer, decide);

    /// <summary>
    /// Deems a still-submitted application answered, appending at any version: not idempotent, so a
    /// timer fired twice would append twice and only the runner can prevent it.
    /// </summary>
    public static Func<DueTimer, CancellationToken, Task<TimerDecision>> DeemAnswered(EventLog log) => async (timer, ct) =>
    {
        var current = await log.AggregateStreamAsync(timer.StreamId, "none", Status, ct: ct);
        if (current?.State != "submitted") return TimerDecision.Nothing;
        return new TimerDecision([StreamAppend.To(timer.StreamId, ExpectedVersion.Any, new DeemedAnswered(timer.StreamId, timer.DueAt))]);
    };

    public static async Task<DocumentStore> OpenAsync(DaemonDatabase db, TimerRegistry registry) =>
        await db.OpenAsync(opts => TimerProjection.Configure(opts, registry));

    public static async Task<ScheduledTimer?> TimerAsync(IDocumentStore store, string id)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<ScheduledTimer>(ScheduledTimer.IdFor(id, DeemedAnswer));
    }
}

/// <summary>Two runners on separate stores (two nodes) racing over the same due timers.</summary>
public sealed class TimerRaceTests(DaemonDatabase db) : IClassFixture<DaemonDatabase>
{
    [Fact]
    public async Task Two_runners_on_separate_stores_racing_fire_each_timer_exactly_once()
    {
        var storeA = await Applications.OpenAsync(db, Applications.Registry((_, _) => Task.FromResult(TimerDecision.Nothing)));
        var storeB = await Applications.OpenAsync(db, Applications.Registry((_, _) => Task.FromResult(TimerDecision.Nothing)));
        var (logA, logB) = (db.Log(storeA), db.Log(storeB));
        var runnerA = new TimerRunner(storeA, Applications.Registry(Applications.DeemAnswered(logA)), db.Time, NullLogger<TimerRunner>.Instance);
        var runnerB = new TimerRunner(storeB, Applications.Registry(Applications.DeemAnswered(logB)), db.Time, NullLogger<TimerRunner>.Instance);
        var ids = new List<string>();

        for (var round = 0; round < 20; round++)
        {
            var batch = Enumerable.Range(0, 8).Select(_ => "application-" + Guid.NewGuid().ToString("N")).ToList();
            foreach (var id in batch)
                await logA.StartStreamAsync(id, [new ApplicationSubmitted(id, db.Time.GetUtcNow().AddMinutes(1))]);
            ids.AddRange(batch);
            db.Time.Advance(TimeSpan.FromMinutes(1));

            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var a = Task.Run(async () => { await start.Task; return await runnerA.RunDueAsync(); });
            var b = Task.Run(async () => { await start.Task; return await runnerB.RunDueAsync(); });
            start.SetResult();
            var fired = await Task.WhenAll(a, b);
            fired.Sum().ShouldBe(batch.Count, $"round {round}: A fired {fired[0]}, B fired {fired[1]}");
        }

        foreach (var id in ids)
        {
            (await logA.FetchStreamAsync(id)).Count(e => e.Data is DeemedAnswered).ShouldBe(1, id);
            (await Applications.TimerAsync(storeA, id)).ShouldBeNull(id);
        }
    }
}

/// <summary>A timer whose stream moved on, and a handler that fails.</summary>
public sealed class TimerRunnerTests(DaemonDatabase db) : IClassFixture<DaemonDatabase>
{
    [Fact]
    public async Task A_timer_whose_stream_moved_on_decides_nothing_and_is_removed()
    {
        var calls = 0;
        EventLog? log = null;
        var registry = Applications.Registry(async (timer, ct) =>
        {
            Interlocked.Increment(ref calls);
            return await Applications.DeemAnswered(log!)(timer, ct);
        });
        var store = await Applications.OpenAsync(db, registry);
        log = db.Log(store);
        var id = "application-" + Guid.NewGuid().ToString("N");
        await log.StartStreamAsync(id, [new ApplicationSubmitted(id, db.Time.GetUtcNow().AddDays(20))]);
        await log.AppendAsync(id, 1, [new ApplicationWithdrawn(id)]);
        (await Applications.TimerAsync(store, id)).ShouldNotBeNull("withdrawal cancels no timer");
        db.Time.Advance(TimeSpan.FromDays(20));

        var fired = await new TimerRunner(store, registry, db.Time, NullLogger<TimerRunner>.Instance).RunDueAsync();

        fired.ShouldBe(0);
        calls.ShouldBe(1);
        (await log.FetchStreamAsync(id)).Select(e => e.Data.GetType()).ShouldBe([typeof(ApplicationSubmitted), typeof(ApplicationWithdrawn)]);
        (await Applications.TimerAsync(store, id)).ShouldBeNull();
    }

    [Fact]
    public async Task A_failing_handler_leaves_the_timer_to_be_retried_later_and_it_then_fires()
    {
        var calls = 0;
        EventLog? log = null;
        var registry = Applications.Registry(async (timer, ct) =>
        {
            if (Interlocked.Increment(ref calls) == 1) throw new InvalidOperationException("the calendar service is down");
            return await Applications.DeemAnswered(log!)(timer, ct);
        });
        var store = await Applications.OpenAsync(db, registry);
        log = db.Log(store);
        var runner = new TimerRunner(store, registry, db.Time, NullLogger<TimerRunner>.Instance);
        var id = "application-" + Guid.NewGuid().ToString("N");
        await log.StartStreamAsync(id, [new ApplicationSubmitted(id, db.Time.GetUtcNow().AddDays(20))]);
        db.Time.Advance(TimeSpan.FromDays(20));

        (await runner.RunDueAsync()).ShouldBe(0);
        var failed = (await Applications.TimerAsync(store, id)).ShouldNotBeNull();
        failed.Attempts.ShouldBe(1);
        failed.LastError.ShouldBe("the calendar service is down");
        var retryAt = failed.RetryAt.ShouldNotBeNull();
        retryAt.ShouldBeGreaterThan(db.Time.GetUtcNow());

        // Not before its retry time.
        db.Time.Set(retryAt.AddTicks(-10));
        (await runner.RunDueAsync()).ShouldBe(0);
        calls.ShouldBe(1);

        db.Time.Set(retryAt);
        (await runner.RunDueAsync()).ShouldBe(1);
        calls.ShouldBe(2);
        (await log.FetchStreamAsync(id)).Count(e => e.Data is DeemedAnswered).ShouldBe(1);
        (await Applications.TimerAsync(store, id)).ShouldBeNull();
    }
}
