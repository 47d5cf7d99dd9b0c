using Shouldly;

namespace GovEvents.EventStore.Tests.Timers;

public sealed class TimerRunnerTests(TimerFixture db) : IClassFixture<TimerFixture>, IAsyncLifetime
{
    private const string Kind = ApplicationTimers.DeemedAnswer;
    private PgEventStore Store => db.Store;

    public Task InitializeAsync() => db.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private TimerRunner Runner(ITimerHandler? deemed = null, ITimerHandler? reminder = null) =>
        new(Store, TimerFixture.Registry(deemed ?? new DeemedAnswerHandler(), reminder));

    [Fact]
    public async Task A_due_timer_appends_its_event_as_the_system_and_is_removed_and_logged()
    {
        var (id, submitted) = await db.SubmitAsync(TimeSpan.FromDays(20));
        db.Time.Advance(TimeSpan.FromDays(20));

        var fired = await Runner().RunDueAsync(CancellationToken.None);

        fired.ShouldBe(1);
        var events = await Store.FetchStreamAsync(id);
        events.Count.ShouldBe(2);
        var deemed = events[1].Data.ShouldBeOfType<DeemedAnswered>();
        deemed.DueAt.ShouldBe(((Submitted)submitted.Data).AnswerDueAt);
        events[1].Metadata.ActorKind.ShouldBe(ActorKind.System);
        events[1].Metadata.ActorId.ShouldBe("system");
        events[1].Metadata.CorrelationId.ShouldBe(TimerRunner.TimerId(id, Kind, submitted.Sequence));
        events[1].Metadata.CausationId.ShouldBe(TimerRunner.TimerId(id, Kind, submitted.Sequence));
        (await db.TimerAsync(id, Kind)).ShouldBeNull();
        (await db.LogAsync(id)).ShouldBe([new TimerLogRow(Kind, "fired", submitted.Sequence, null)]);
    }

    [Fact]
    public async Task A_fired_timer_does_not_fire_again()
    {
        var (id, _) = await db.SubmitAsync(TimeSpan.FromDays(20));
        db.Time.Advance(TimeSpan.FromDays(21));
        var handler = new DeemedAnswerHandler();
        var runner = Runner(handler);

        (await runner.RunDueAsync(CancellationToken.None)).ShouldBe(1);
        (await runner.RunDueAsync(CancellationToken.None)).ShouldBe(0);

        handler.Calls.ShouldBe(1);
        (await Store.FetchStreamAsync(id)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_timer_does_nothing_when_the_state_already_moved_on()
    {
        var (id, submitted) = await db.SubmitAsync(TimeSpan.FromDays(20));
        // Withdrawn cancels no timer: only the handler, looking at the state, can tell.
        await Store.AppendAsync(id, ApplicationTimers.StreamType, 1, [new Withdrawn(id)]);
        db.Time.Advance(TimeSpan.FromDays(20));

        var fired = await Runner().RunDueAsync(CancellationToken.None);

        fired.ShouldBe(0);
        (await Store.FetchStreamAsync(id)).Count.ShouldBe(2);
        (await db.TimerAsync(id, Kind)).ShouldBeNull();
        (await db.LogAsync(id)).ShouldBe([new TimerLogRow(Kind, "nothing", submitted.Sequence, null)]);
    }

    [Fact]
    public async Task A_timer_not_yet_due_waits_until_the_clock_reaches_it()
    {
        var (id, _) = await db.SubmitAsync(TimeSpan.FromDays(10));
        var runner = Runner();
        db.Time.Advance(TimeSpan.FromDays(10) - TimeSpan.FromSeconds(1));

        (await runner.RunDueAsync(CancellationToken.None)).ShouldBe(0);
        (await db.TimerAsync(id, Kind)).ShouldNotBeNull();
        (await Store.FetchStreamAsync(id)).Count.ShouldBe(1);

        db.Time.Advance(TimeSpan.FromSeconds(1));
        (await runner.RunDueAsync(CancellationToken.None)).ShouldBe(1);
        (await Store.FetchStreamAsync(id))[^1].Data.ShouldBeOfType<DeemedAnswered>();
    }

    [Fact]
    public async Task An_answer_before_the_due_time_cancels_the_timer_so_nothing_fires()
    {
        var (id, _) = await db.SubmitAsync(TimeSpan.FromDays(10));
        await Store.AppendAsync(id, ApplicationTimers.StreamType, 1, [new Answered(id, "approved")]);
        db.Time.Advance(TimeSpan.FromDays(11));
        var handler = new DeemedAnswerHandler();

        (await Runner(handler).RunDueAsync(CancellationToken.None)).ShouldBe(0);

        handler.Calls.ShouldBe(0);
        (await Store.FetchStreamAsync(id)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_conflicting_append_makes_the_handler_decide_again_on_fresh_state()
    {
        var (id, _) = await db.SubmitAsync(TimeSpan.FromDays(20));
        db.Time.Advance(TimeSpan.FromDays(20));
        var handler = new DeemedAnswerHandler
        {
            // Someone comments after the handler has loaded the stream, before its decision is appended.
            AfterLoad = async (call, timer, store) =>
            {
                if (call == 1)
                    await store.AppendAsync(timer.StreamId, ApplicationTimers.StreamType, ExpectedVersion.Any, [new Commented(timer.StreamId, "still waiting")]);
            },
        };

        var fired = await Runner(handler).RunDueAsync(CancellationToken.None);

        fired.ShouldBe(1);
        handler.Calls.ShouldBe(2);
        var events = await Store.FetchStreamAsync(id);
        events.Select(e => e.Data.GetType()).ShouldBe([typeof(Submitted), typeof(Commented), typeof(DeemedAnswered)]);
        events[2].Data.ShouldBeOfType<DeemedAnswered>().CommentsSeen.ShouldBe(1);
        (await db.LogAsync(id)).Select(l => l.Outcome).ShouldBe(["fired"]);
    }

    [Fact]
    public async Task A_stream_that_keeps_moving_fails_the_timer_after_the_retries_and_leaves_it()
    {
        var (id, _) = await db.SubmitAsync(TimeSpan.FromDays(20));
        db.Time.Advance(TimeSpan.FromDays(20));
        var handler = new DeemedAnswerHandler
        {
            AfterLoad = (_, timer, store) =>
                store.AppendAsync(timer.StreamId, ApplicationTimers.StreamType, ExpectedVersion.Any, [new Commented(timer.StreamId, "again")]),
        };
        var runner = new TimerRunner(Store, TimerFixture.Registry(handler)) { MaxConflictRetries = 2 };

        (await runner.RunDueAsync(CancellationToken.None)).ShouldBe(0);

        handler.Calls.ShouldBe(3);
        (await Store.FetchStreamAsync(id)).Any(e => e.Data is DeemedAnswered).ShouldBeFalse();
        var timer = (await db.TimerAsync(id, Kind)).ShouldNotBeNull();
        timer.Attempts.ShouldBe(1);
        timer.LastError.ShouldNotBeNull().ShouldContain("kept moving");
    }

    [Fact]
    public async Task A_failing_handler_leaves_its_timer_with_attempts_counted_and_does_not_block_others()
    {
        var (failing, failingSubmitted) = await db.SubmitAsync(TimeSpan.FromDays(1));
        var (healthy, _) = await db.SubmitAsync(TimeSpan.FromDays(2));
        db.Time.Advance(TimeSpan.FromDays(3));
        var broken = true;
        var handler = new DeemedAnswerHandler
        {
            AfterLoad = (_, timer, _) => broken && timer.StreamId == failing
                ? throw new InvalidOperationException("registry unreachable")
                : Task.CompletedTask,
        };
        var runner = new TimerRunner(Store, TimerFixture.Registry(handler)) { RetryDelay = TimeSpan.FromMinutes(1) };

        (await runner.RunDueAsync(CancellationToken.None)).ShouldBe(1);

        (await Store.FetchStreamAsync(healthy))[^1].Data.ShouldBeOfType<DeemedAnswered>();
        (await Store.FetchStreamAsync(failing)).Count.ShouldBe(1);
        var timer = (await db.TimerAsync(failing, Kind)).ShouldNotBeNull();
        timer.Attempts.ShouldBe(1);
        timer.LastError.ShouldNotBeNull().ShouldContain("registry unreachable");
        timer.RetryAt.ShouldBe(db.Time.GetUtcNow().AddMinutes(1));
        var log = (await db.LogAsync(failing)).ShouldHaveSingleItem();
        log.Outcome.ShouldBe("failed");
        log.ScheduledBySeq.ShouldBe(failingSubmitted.Sequence);

        // Not retried before its retry time, and counted again when it fails again.
        (await runner.RunDueAsync(CancellationToken.None)).ShouldBe(0);
        (await db.TimerAsync(failing, Kind)).ShouldNotBeNull().Attempts.ShouldBe(1);
        db.Time.Advance(TimeSpan.FromMinutes(1));
        (await runner.RunDueAsync(CancellationToken.None)).ShouldBe(0);
        var again = (await db.TimerAsync(failing, Kind)).ShouldNotBeNull();
        again.Attempts.ShouldBe(2);
        again.RetryAt.ShouldBe(db.Time.GetUtcNow().AddMinutes(2));

        broken = false;
        db.Time.Advance(TimeSpan.FromMinutes(2));
        (await runner.RunDueAsync(CancellationToken.None)).ShouldBe(1);
        (await Store.FetchStreamAsync(failing))[^1].Data.ShouldBeOfType<DeemedAnswered>();
        (await db.TimerAsync(failing, Kind)).ShouldBeNull();
        (await db.LogAsync(failing)).Select(l => l.Outcome).ShouldBe(["failed", "failed", "fired"]);
    }

    [Fact]
    public async Task A_timer_whose_kind_has_no_handler_is_recorded_as_failed()
    {
        var (id, _) = await db.SubmitAsync(TimeSpan.FromDays(1));
        db.Time.Advance(TimeSpan.FromDays(1));

        (await new TimerRunner(Store, ApplicationTimers.Map(new TimerRegistry())).RunDueAsync(CancellationToken.None)).ShouldBe(0);

        var timer = (await db.TimerAsync(id, Kind)).ShouldNotBeNull();
        timer.Attempts.ShouldBe(1);
        timer.LastError.ShouldNotBeNull().ShouldContain("no handler");
    }

    [Fact]
    public async Task A_timer_whose_event_reschedules_the_same_kind_keeps_the_new_schedule()
    {
        var id = "app-" + Guid.NewGuid().ToString("N");
        var first = db.Time.GetUtcNow().AddHours(1);
        await Store.StartStreamAsync(id, ApplicationTimers.StreamType, [new Submitted(id, db.Time.GetUtcNow().AddDays(30)), new ReminderSent(id, 0, first)]);
        db.Time.Advance(TimeSpan.FromHours(1));
        var runner = Runner(reminder: new ReminderHandler());

        (await runner.RunDueAsync(CancellationToken.None)).ShouldBe(1);

        var events = await Store.FetchStreamAsync(id);
        var reminder = events[^1].Data.ShouldBeOfType<ReminderSent>();
        reminder.Number.ShouldBe(1);
        var timer = (await db.TimerAsync(id, ApplicationTimers.Reminder)).ShouldNotBeNull();
        timer.DueAt.ShouldBe(db.Time.GetUtcNow().AddDays(1));
        timer.ScheduledBySeq.ShouldBe(events[^1].Sequence);

        db.Time.Advance(TimeSpan.FromDays(1));
        (await runner.RunDueAsync(CancellationToken.None)).ShouldBe(1);
        (await Store.FetchStreamAsync(id))[^1].Data.ShouldBeOfType<ReminderSent>().Number.ShouldBe(2);
    }

    [Fact]
    public async Task Timers_fire_in_due_order_and_a_run_fires_all_that_are_due()
    {
        var ids = new List<string>();
        for (var i = 5; i >= 1; i--) ids.Add((await db.SubmitAsync(TimeSpan.FromHours(i))).Id);
        var notDue = (await db.SubmitAsync(TimeSpan.FromHours(9))).Id;
        db.Time.Advance(TimeSpan.FromHours(5));

        (await Runner().RunDueAsync(CancellationToken.None)).ShouldBe(5);

        var firedOrder = new List<(long Seq, string Id)>();
        foreach (var id in ids) firedOrder.Add(((await Store.FetchStreamAsync(id))[^1].Sequence, id));
        firedOrder.OrderBy(x => x.Seq).Select(x => x.Id).ShouldBe(Enumerable.Reverse(ids));
        (await db.TimerAsync(notDue, Kind)).ShouldNotBeNull();
    }
}
