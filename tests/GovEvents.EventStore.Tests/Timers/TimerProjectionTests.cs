using Shouldly;

namespace GovEvents.EventStore.Tests.Timers;

public sealed class TimerProjectionTests(TimerFixture db) : IClassFixture<TimerFixture>, IAsyncLifetime
{
    private const string Kind = ApplicationTimers.DeemedAnswer;
    private PgEventStore Store => db.Store;

    public Task InitializeAsync() => db.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_event_with_a_due_time_creates_the_timer_row_keyed_by_stream_and_kind()
    {
        var due = db.Time.GetUtcNow().AddDays(20);
        var id = "app-" + Guid.NewGuid().ToString("N");

        var result = await Store.StartStreamAsync(id, ApplicationTimers.StreamType, [new Submitted(id, due)]);

        var timer = await db.TimerAsync(id, Kind);
        timer.ShouldNotBeNull();
        timer.DueAt.ShouldBe(due);
        timer.ScheduledBySeq.ShouldBe(result.Events[0].Sequence);
        timer.PayloadJson.ShouldNotBeNull().ShouldContain("no answer within the legal time");
        timer.Attempts.ShouldBe(0);
    }

    [Fact]
    public async Task A_cancelling_event_removes_the_timer()
    {
        var (id, _) = await db.SubmitAsync(TimeSpan.FromDays(20));

        await Store.AppendAsync(id, ApplicationTimers.StreamType, 1, [new Answered(id, "approved")]);

        (await db.TimerAsync(id, Kind)).ShouldBeNull();
    }

    [Fact]
    public async Task Rescheduling_replaces_the_due_time_and_the_scheduling_event()
    {
        var (id, _) = await db.SubmitAsync(TimeSpan.FromDays(20));
        var later = db.Time.GetUtcNow().AddDays(35);

        var result = await Store.AppendAsync(id, ApplicationTimers.StreamType, 1, [new DeadlineExtended(id, later)]);

        var timer = (await db.TimerAsync(id, Kind)).ShouldNotBeNull();
        timer.DueAt.ShouldBe(later);
        timer.ScheduledBySeq.ShouldBe(result.Events[0].Sequence);
        timer.PayloadJson.ShouldBeNull();
    }

    [Fact]
    public async Task Events_that_mean_nothing_for_timers_leave_the_timer_as_it_was()
    {
        var (id, submitted) = await db.SubmitAsync(TimeSpan.FromDays(20));

        await Store.AppendAsync(id, ApplicationTimers.StreamType, 1, [new Commented(id, "please hurry"), new Withdrawn(id)]);

        var timer = (await db.TimerAsync(id, Kind)).ShouldNotBeNull();
        timer.ScheduledBySeq.ShouldBe(submitted.Sequence);
    }

    [Fact]
    public async Task Within_one_append_the_later_event_decides()
    {
        var scheduledThenCancelled = "app-" + Guid.NewGuid().ToString("N");
        var cancelledThenScheduled = "app-" + Guid.NewGuid().ToString("N");
        var due = db.Time.GetUtcNow().AddDays(20);

        await Store.AppendAsync([
            StreamAppend.Start(scheduledThenCancelled, ApplicationTimers.StreamType, new Submitted(scheduledThenCancelled, due), new Answered(scheduledThenCancelled, "approved")),
            StreamAppend.Start(cancelledThenScheduled, ApplicationTimers.StreamType, new Answered(cancelledThenScheduled, "?"), new Submitted(cancelledThenScheduled, due)),
        ]);

        (await db.TimerAsync(scheduledThenCancelled, Kind)).ShouldBeNull();
        (await db.TimerAsync(cancelledThenScheduled, Kind)).ShouldNotBeNull().DueAt.ShouldBe(due);
    }

    [Fact]
    public async Task A_rolled_back_append_leaves_no_timer()
    {
        var id = "app-" + Guid.NewGuid().ToString("N");
        await using var conn = await Store.DataSource.OpenConnectionAsync();
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await Store.AppendAsync([StreamAppend.Start(id, ApplicationTimers.StreamType, new Submitted(id, db.Time.GetUtcNow().AddDays(1)))], conn, tx);
            await tx.RollbackAsync();
        }

        (await db.TimerAsync(id, Kind)).ShouldBeNull();
    }
}
