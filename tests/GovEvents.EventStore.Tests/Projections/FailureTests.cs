using Xunit.Abstractions;
using Npgsql;
using Shouldly;
using static GovEvents.EventStore.Tests.Projections.ProjectionTestKit;

namespace GovEvents.EventStore.Tests.Projections;

/// <summary>A failing event is retried, then stops the projection there or goes to dead letters: never skipped silently.</summary>
public sealed class FailureTests(StoreFixture db, ITestOutputHelper output) : IClassFixture<StoreFixture>
{
    private PgEventStore Store => db.Store;
    private DateTimeOffset Now => db.Time.GetUtcNow();

    [Fact]
    public async Task A_poison_event_faults_the_projection_at_its_position_until_resumed()
    {
        var projection = new RecordingProjection("poisoned");
        var (before, poison, after) = await AppendAroundPoisonAsync();
        projection.Poison = e => e.Sequence == poison;
        var options = FastOptions();
        await using var daemon = new ProjectionDaemon(Store, [projection], options, new TestLogger<ProjectionDaemon>(output, ""));
        await daemon.StartAsync(CancellationToken.None);

        var status = await EventuallyAsync(async () => (await daemon.StatusAsync(CancellationToken.None)).Single(), s => s.Status == "faulted");
        status.Status.ShouldBe("faulted");
        status.FailedSequence.ShouldBe(poison);
        status.Position.ShouldBe(before);
        status.Error.ShouldNotBeNull().ShouldContain($"cannot project event {poison}");
        status.Lag.ShouldBeGreaterThanOrEqualTo(2);
        projection.PoisonAttempts.ShouldBeGreaterThan(options.MaxRetries);

        // It stays there: nothing after the poison event is processed, the head is never reached.
        (await daemon.WaitForCaughtUpAsync(TimeSpan.FromMilliseconds(400), CancellationToken.None)).ShouldBeFalse();
        var rows = await RecordingProjection.RowsAsync(Store.DataSource, Store.Schema, "poisoned");
        rows.Select(r => r.Seq).ShouldContain(before);
        rows.ShouldNotContain(r => r.Seq >= poison);

        // Once the cause is fixed, resuming retries that very event and carries on.
        projection.Poison = _ => false;
        await daemon.ResumeAsync("poisoned", CancellationToken.None);
        (await daemon.WaitForCaughtUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None)).ShouldBeTrue();
        rows = await RecordingProjection.RowsAsync(Store.DataSource, Store.Schema, "poisoned");
        rows.Select(r => r.Seq).ShouldContain(poison);
        rows.Select(r => r.Seq).ShouldContain(after);
        rows.GroupBy(r => r.Seq).ShouldAllBe(g => g.Count() == 1);
        var resumed = (await daemon.StatusAsync(CancellationToken.None)).Single();
        resumed.Status.ShouldBe("running");
        resumed.Error.ShouldBeNull();
        resumed.FailedSequence.ShouldBeNull();
    }

    [Fact]
    public async Task With_dead_lettering_a_poison_event_is_recorded_and_processing_continues()
    {
        var projection = new RecordingProjection("dead_lettered");
        var (before, poison, after) = await AppendAroundPoisonAsync();
        projection.Poison = e => e.Sequence == poison;
        var options = FastOptions();
        options.DeadLetterProjections.Add("dead_lettered");
        await using var daemon = new ProjectionDaemon(Store, [projection], options, new TestLogger<ProjectionDaemon>(output, ""));
        await daemon.StartAsync(CancellationToken.None);

        (await daemon.WaitForCaughtUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None)).ShouldBeTrue();
        var rows = await RecordingProjection.RowsAsync(Store.DataSource, Store.Schema, "dead_lettered");
        rows.Select(r => r.Seq).ShouldContain(before);
        rows.Select(r => r.Seq).ShouldContain(after);
        rows.ShouldNotContain(r => r.Seq == poison);
        (await daemon.StatusAsync(CancellationToken.None)).Single().Status.ShouldBe("running");

        var letters = await DeadLettersAsync("dead_lettered");
        var letter = letters.ShouldHaveSingleItem();
        letter.Seq.ShouldBe(poison);
        letter.Type.ShouldBe("money_deposited");
        letter.Error.ShouldContain($"cannot project event {poison}");

        // A rebuild meets the same event again: still one letter, same rows.
        await daemon.RebuildAsync("dead_lettered", CancellationToken.None);
        (await DeadLettersAsync("dead_lettered")).Count.ShouldBe(1);
        (await RecordingProjection.RowsAsync(Store.DataSource, Store.Schema, "dead_lettered")).Select(r => r.Seq).ShouldBe(rows.Select(r => r.Seq));
    }

    [Fact]
    public async Task A_rebuild_restarts_a_faulted_projection()
    {
        var projection = new RecordingProjection("rebuilt_after_fault");
        var (_, poison, after) = await AppendAroundPoisonAsync();
        projection.Poison = e => e.Sequence == poison;
        await using var daemon = new ProjectionDaemon(Store, [projection], FastOptions(), new TestLogger<ProjectionDaemon>(output, ""));
        await daemon.StartAsync(CancellationToken.None);
        await EventuallyAsync(async () => (await daemon.StatusAsync(CancellationToken.None)).Single(), s => s.Status == "faulted");

        projection.Poison = _ => false;
        await daemon.RebuildAsync("rebuilt_after_fault", CancellationToken.None);

        (await daemon.WaitForCaughtUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None)).ShouldBeTrue();
        var status = (await daemon.StatusAsync(CancellationToken.None)).Single();
        status.Status.ShouldBe("running");
        status.FailedSequence.ShouldBeNull();
        var rows = await RecordingProjection.RowsAsync(Store.DataSource, Store.Schema, "rebuilt_after_fault");
        rows.Select(r => r.Seq).ShouldContain(poison);
        rows.Select(r => r.Seq).ShouldContain(after);
        rows.GroupBy(r => r.Seq).ShouldAllBe(g => g.Count() == 1);
    }

    [Fact]
    public async Task A_rebuild_that_meets_a_poison_event_faults_and_leaves_the_live_table_as_it_was()
    {
        var projection = new RecordingProjection("rebuild_poisoned");
        await using var daemon = new ProjectionDaemon(Store, [projection], FastOptions(), new TestLogger<ProjectionDaemon>(output, ""));
        var (_, poison, _) = await AppendAroundPoisonAsync();
        await daemon.StartAsync(CancellationToken.None);
        (await daemon.WaitForCaughtUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None)).ShouldBeTrue();
        var live = await RecordingProjection.RowsAsync(Store.DataSource, Store.Schema, "rebuild_poisoned");

        projection.Poison = e => e.Sequence == poison;
        var ex = await Should.ThrowAsync<ProjectionFaultedException>(() => daemon.RebuildAsync("rebuild_poisoned", CancellationToken.None));
        ex.Sequence.ShouldBe(poison);

        (await RecordingProjection.RowsAsync(Store.DataSource, Store.Schema, "rebuild_poisoned")).ShouldBe(live);
        var status = (await daemon.StatusAsync(CancellationToken.None)).Single();
        status.Status.ShouldBe("faulted");
        status.FailedSequence.ShouldBe(poison);
        (await ScalarAsync(Store.DataSource, $"select count(*) from pg_tables where schemaname = '{Store.Schema}' and tablename like 'rebuild_poisoned%shadow'")).ShouldBe(0);
    }

    /// <summary>Three committed transactions: an ordinary event, the poison one, another ordinary one.</summary>
    private async Task<(long Before, long Poison, long After)> AppendAroundPoisonAsync()
    {
        var id = NewId();
        var a = await Store.StartStreamAsync(id, "account", [new AccountOpened(id, "Li", Now)]);
        var p = await Store.AppendAsync(id, "account", 1, [new MoneyDeposited(id, 666, Now)]);
        var b = await Store.AppendAsync(id, "account", 2, [new MoneyDeposited(id, 1, Now)]);
        return (a.Events[0].Sequence, p.Events[0].Sequence, b.Events[0].Sequence);
    }

    private async Task<List<(long Seq, string Type, string Error)>> DeadLettersAsync(string projection)
    {
        var list = new List<(long, string, string)>();
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"select seq, type, error from {Store.Schema}.dead_letters where projection = $1 order by seq", conn);
        cmd.Parameters.Add(Text(projection));
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) list.Add((r.GetInt64(0), r.GetString(1), r.GetString(2)));
        return list;
    }
}
