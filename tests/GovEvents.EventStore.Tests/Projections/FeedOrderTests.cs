using Xunit.Abstractions;
using Shouldly;
using static GovEvents.EventStore.Tests.Projections.ProjectionTestKit;

namespace GovEvents.EventStore.Tests.Projections;

/// <summary>The daemon reads only finished transactions, in (transaction id, sequence) order.</summary>
public sealed class FeedOrderTests(StoreFixture db, ITestOutputHelper output) : IClassFixture<StoreFixture>
{
    private PgEventStore Store => db.Store;
    private DateTimeOffset Now => db.Time.GetUtcNow();

    [Fact]
    public async Task A_transaction_that_commits_after_later_ones_is_still_projected()
    {
        var projection = new RecordingProjection("late_commit");
        await using var daemon = new ProjectionDaemon(Store, [projection], FastOptions(), new TestLogger<ProjectionDaemon>(output, ""));
        await daemon.StartAsync(CancellationToken.None);
        var early = NewId();
        var later = NewId();

        // A appends first (lower transaction id and lower sequence) but stays open while B commits.
        await using var connA = await Store.DataSource.OpenConnectionAsync();
        await using var txA = await connA.BeginTransactionAsync();
        var a = await Store.AppendAsync([StreamAppend.Start(early, "account", new AccountOpened(early, "A", Now))], connA, txA);
        var b = await Store.StartStreamAsync(later, "account", [new AccountOpened(later, "B", Now)]);
        b.Events[0].Sequence.ShouldBeGreaterThan(a.Events[0].Sequence);

        // B is committed, yet nothing past the open transaction may be processed: A would be skipped.
        (await daemon.WaitForCaughtUpAsync(TimeSpan.FromMilliseconds(600), CancellationToken.None)).ShouldBeFalse();
        (await RecordingProjection.RowsAsync(Store.DataSource, Store.Schema, projection.Name))
            .ShouldNotContain(r => r.StreamId == early || r.StreamId == later);

        await txA.CommitAsync();
        (await daemon.WaitForCaughtUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None)).ShouldBeTrue();
        var rows = await RecordingProjection.RowsAsync(Store.DataSource, Store.Schema, projection.Name);
        rows.Count(r => r.StreamId == early).ShouldBe(1);
        rows.Count(r => r.StreamId == later).ShouldBe(1);
    }

    [Fact]
    public async Task A_rolled_back_transaction_stalls_nothing()
    {
        var projection = new RecordingProjection("rolled_back");
        await using var daemon = new ProjectionDaemon(Store, [projection], FastOptions(), new TestLogger<ProjectionDaemon>(output, ""));
        await daemon.StartAsync(CancellationToken.None);
        var doomed = NewId();
        var kept = NewId();

        await using (var connA = await Store.DataSource.OpenConnectionAsync())
        await using (var txA = await connA.BeginTransactionAsync())
        {
            await Store.AppendAsync([StreamAppend.Start(doomed, "account", new AccountOpened(doomed, "A", Now))], connA, txA);
            await Store.StartStreamAsync(kept, "account", [new AccountOpened(kept, "B", Now)]);
            await txA.RollbackAsync();
        }

        (await daemon.WaitForCaughtUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None)).ShouldBeTrue();
        var rows = await RecordingProjection.RowsAsync(Store.DataSource, Store.Schema, projection.Name);
        rows.Count(r => r.StreamId == kept).ShouldBe(1);
        rows.ShouldNotContain(r => r.StreamId == doomed);
    }

    [Theory]
    // A writing transaction: it holds a relation lock there.
    [InlineData("other_database_writing", "create temporary table held_open (x int) on commit drop; insert into held_open values (1)")]
    // A transaction id and no relation lock at all, as CREATE DATABASE holds while it copies.
    [InlineData("other_database_bare", "select pg_current_xact_id()")]
    public async Task A_transaction_open_in_another_database_does_not_hold_projections_back(string name, string held)
    {
        var projection = new RecordingProjection(name);
        await using var daemon = new ProjectionDaemon(Store, [projection], FastOptions(), new TestLogger<ProjectionDaemon>(output));
        await daemon.StartAsync(CancellationToken.None);

        // A transaction in the server's "postgres" database: its id is below ours, yet it can never write our events.
        await using var elsewhere = new Npgsql.NpgsqlConnection(Testing.TestDatabase.AdminConnectionString);
        await elsewhere.OpenAsync();
        await using var foreignTx = await elsewhere.BeginTransactionAsync();
        await using (var cmd = new Npgsql.NpgsqlCommand(held, elsewhere, foreignTx))
            await cmd.ExecuteNonQueryAsync();

        var id = NewId();
        await Store.StartStreamAsync(id, "account", [new AccountOpened(id, "Li", Now)]);
        (await daemon.WaitForCaughtUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None)).ShouldBeTrue();
        (await RecordingProjection.RowsAsync(Store.DataSource, Store.Schema, projection.Name)).Count(r => r.StreamId == id).ShouldBe(1);
        await foreignTx.RollbackAsync();
    }

    [Fact]
    public async Task Caught_up_is_false_until_a_daemon_has_processed_the_head_and_true_after()
    {
        var projection = new RecordingProjection("caught_up");
        await using var daemon = new ProjectionDaemon(Store, [projection], FastOptions(), new TestLogger<ProjectionDaemon>(output, ""));
        var id = NewId();
        await Store.StartStreamAsync(id, "account", [new AccountOpened(id, "Li", Now), new MoneyDeposited(id, 5, Now)]);

        // Not started: nothing processes the head.
        (await daemon.WaitForCaughtUpAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None)).ShouldBeFalse();

        await daemon.StartAsync(CancellationToken.None);
        (await daemon.WaitForCaughtUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None)).ShouldBeTrue();
        (await RecordingProjection.RowsAsync(Store.DataSource, Store.Schema, projection.Name)).Count(r => r.StreamId == id).ShouldBe(2);
    }

    [Fact]
    public async Task Status_reports_position_and_the_lag_of_unprocessed_events()
    {
        var projection = new RecordingProjection("lagging");
        await using var daemon = new ProjectionDaemon(Store, [projection], FastOptions(), new TestLogger<ProjectionDaemon>(output, ""));
        var id = NewId();
        await Store.StartStreamAsync(id, "account", [new AccountOpened(id, "Li", Now), new MoneyDeposited(id, 1, Now), new MoneyDeposited(id, 2, Now)]);
        var total = await ScalarAsync(Store.DataSource, $"select count(*) from {Store.Schema}.events");

        var before = (await daemon.StatusAsync(CancellationToken.None)).Single();
        before.ShouldBe(new ProjectionStatus("lagging", 0, total, "running", null, null, null, null));

        await daemon.StartAsync(CancellationToken.None);
        (await daemon.WaitForCaughtUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None)).ShouldBeTrue();
        var after = (await daemon.StatusAsync(CancellationToken.None)).Single();
        after.Lag.ShouldBe(0);
        after.Status.ShouldBe("running");
        var head = await ScalarAsync(Store.DataSource, $"select max(seq) from {Store.Schema}.events");
        after.Position.ShouldBe(head);
    }

    [Fact]
    public async Task A_local_append_wakes_the_daemon_long_before_the_poll_interval()
    {
        await using var daemon = await LeadingDaemonPollingEveryFiveMinutesAsync("woken");

        var id = NewId();
        await Store.StartStreamAsync(id, "account", [new AccountOpened(id, "Li", Now)]);
        (await daemon.WaitForCaughtUpAsync(TimeSpan.FromSeconds(5), CancellationToken.None)).ShouldBeTrue();
    }

    [Fact]
    public async Task An_append_from_another_process_wakes_the_daemon_through_notify()
    {
        await using var daemon = await LeadingDaemonPollingEveryFiveMinutesAsync("notified");

        // A second store stands for another API process: only its NOTIFY reaches this daemon.
        await using var other = new PgEventStore(db.NewOptions(), db.Time);
        var id = NewId();
        await other.StartStreamAsync(id, "account", [new AccountOpened(id, "Li", Now)]);
        (await daemon.WaitForCaughtUpAsync(TimeSpan.FromSeconds(5), CancellationToken.None)).ShouldBeTrue();
    }

    /// <summary>A started daemon that leads its projection, is caught up, and would not poll again for five minutes.</summary>
    private async Task<ProjectionDaemon> LeadingDaemonPollingEveryFiveMinutesAsync(string name)
    {
        var options = FastOptions();
        options.PollInterval = TimeSpan.FromMinutes(5);
        var daemon = new ProjectionDaemon(Store, [new RecordingProjection(name)], options, new TestLogger<ProjectionDaemon>(output, ""));
        await daemon.StartAsync(CancellationToken.None);
        await EventuallyAsync(() => Task.FromResult(daemon.LeadingProjections.Count), n => n == 1);
        (await daemon.WaitForCaughtUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None)).ShouldBeTrue();
        return daemon;
    }
}
