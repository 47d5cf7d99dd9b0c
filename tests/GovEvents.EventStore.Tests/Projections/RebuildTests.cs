using Xunit.Abstractions;
using Npgsql;
using Shouldly;
using static GovEvents.EventStore.Tests.Projections.ProjectionTestKit;

namespace GovEvents.EventStore.Tests.Projections;

/// <summary>Rebuilds replay history into shadow tables and swap them in at once.</summary>
public sealed class RebuildTests(StoreFixture db, ITestOutputHelper output) : IClassFixture<StoreFixture>
{
    private PgEventStore Store => db.Store;
    private DateTimeOffset Now => db.Time.GetUtcNow();

    [Fact]
    public async Task A_rebuild_yields_the_same_rows_as_incremental_processing()
    {
        var projection = new AccountDocuments("docs_same");
        var options = FastOptions();
        options.BatchSize = 7;            // many small live batches
        options.RebuildBatchSize = 13;    // pages that split streams differently
        await using var daemon = new ProjectionDaemon(Store, [projection], options, new TestLogger<ProjectionDaemon>(output, ""));
        await daemon.StartAsync(CancellationToken.None);
        await AppendAccountsAsync(12);
        (await daemon.WaitForCaughtUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None)).ShouldBeTrue();
        var incremental = await DocumentsAsync("docs_same");
        incremental.Count.ShouldBeGreaterThan(0);
        var position = (await daemon.StatusAsync(CancellationToken.None)).Single().Position;

        await daemon.RebuildAsync("docs_same", CancellationToken.None);

        (await DocumentsAsync("docs_same")).ShouldBe(incremental);
        var status = (await daemon.StatusAsync(CancellationToken.None)).Single();
        status.Status.ShouldBe("running");
        status.Position.ShouldBe(position);
        status.Lag.ShouldBe(0);

        // A second rebuild reuses the shadow names freed by the first swap (indexes renamed too).
        await daemon.RebuildAsync("docs_same", CancellationToken.None);
        (await DocumentsAsync("docs_same")).ShouldBe(incremental);
    }

    [Fact]
    public async Task A_rebuild_reports_progress_and_readers_see_the_old_table_until_the_swap()
    {
        var gated = new GatedProjection(new AccountDocuments("docs_gated"));
        var options = FastOptions();
        options.RebuildBatchSize = 10;
        await using var daemon = new ProjectionDaemon(Store, [gated], options, new TestLogger<ProjectionDaemon>(output, ""));
        await daemon.StartAsync(CancellationToken.None);
        await AppendAccountsAsync(10);
        (await daemon.WaitForCaughtUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None)).ShouldBeTrue();
        var built = await DocumentsAsync("docs_gated");
        var total = await ScalarAsync(Store.DataSource, $"select count(*) from {Store.Schema}.events");

        // Stand-in for "the old model": one marked row that only the live table has.
        await ExecAsync($"insert into {Store.Schema}.docs_gated (id, data, last_seq) values ('old-marker', '{{}}', 0)");

        var rebuild = daemon.RebuildAsync("docs_gated", CancellationToken.None);
        await gated.Held.WaitAsync(TimeSpan.FromSeconds(10));

        var during = (await daemon.StatusAsync(CancellationToken.None)).Single();
        during.Status.ShouldBe("rebuilding");
        during.RebuildTotal.ShouldBe(total);
        during.RebuildDone.ShouldBe(10);
        var seen = await DocumentsAsync("docs_gated");
        seen.ShouldContain(d => d.Id == "old-marker");
        seen.Count.ShouldBe(built.Count + 1);

        gated.Release();
        await rebuild.WaitAsync(TimeSpan.FromSeconds(20));

        (await DocumentsAsync("docs_gated")).ShouldBe(built);
        var after = (await daemon.StatusAsync(CancellationToken.None)).Single();
        after.Status.ShouldBe("running");
        after.RebuildDone.ShouldBe(total);
        after.RebuildTotal.ShouldBe(total);
    }

    [Fact]
    public async Task A_rebuild_works_without_a_running_daemon_and_keeps_events_appended_during_it()
    {
        var gated = new GatedProjection(new AccountDocuments("docs_cold"));
        var options = FastOptions();
        options.RebuildBatchSize = 2;   // the tail applied inside the swap spans several pages of one transaction
        await using var daemon = new ProjectionDaemon(Store, [gated], options, new TestLogger<ProjectionDaemon>(output, ""));
        await AppendAccountsAsync(3);

        var rebuild = daemon.RebuildAsync("docs_cold", CancellationToken.None);
        await gated.Held.WaitAsync(TimeSpan.FromSeconds(10));
        var late = NewId();
        await Store.StartStreamAsync(late, "account", [new AccountOpened(late, "Late", Now)]);
        for (var i = 1; i <= 5; i++)
            await Store.AppendAsync(late, "account", i, [new MoneyDeposited(late, i, Now)]);
        gated.Release();
        await rebuild.WaitAsync(TimeSpan.FromSeconds(20));
        (await daemon.StatusAsync(CancellationToken.None)).Single().Status.ShouldBe("running");

        // The swap applies the tail below the horizon it sees; a transaction open anywhere in this
        // database (autovacuum's, say) may leave the rest to the live loop, which must find it all.
        await daemon.StartAsync(CancellationToken.None);
        (await daemon.WaitForCaughtUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None)).ShouldBeTrue();
        var doc = await DocumentProjection<AccountDoc>.LoadAsync(Store.DataSource, Store.Schema, "docs_cold", late, Store.Serializer, CancellationToken.None);
        doc.ShouldBe(new AccountDoc(late, "Late", 15, 5, false, Now));
    }

    [Fact]
    public async Task A_rebuild_past_a_failed_batch_matches_live_processing_even_when_apply_changes_documents_in_place()
    {
        var projection = new MutableAccounts("docs_mutable");
        var options = FastOptions();
        options.DeadLetterProjections.Add("docs_mutable");
        options.RebuildBatchSize = 4;
        await using var daemon = new ProjectionDaemon(Store, [projection], options, new TestLogger<ProjectionDaemon>(output, ""));
        await daemon.StartAsync(CancellationToken.None);
        var id = NewId();
        await Store.StartStreamAsync(id, "account", [new AccountOpened(id, "Li", Now)]);
        foreach (var amount in new[] { 1m, 2m, 666m, 4m, 5m, 6m, 7m })
            await Store.AppendAsync(id, "account", ExpectedVersion.Any, [new MoneyDeposited(id, amount, Now)]);
        (await daemon.WaitForCaughtUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None)).ShouldBeTrue();
        var live = await DocumentsAsync("docs_mutable");
        live.Single(d => d.Id == id).Data.ShouldContain("\"balance\": 25,");

        // The page holding the 666 deposit fails after Apply changed the cached document: the
        // rebuild must not carry that half-applied change into the following pages.
        await daemon.RebuildAsync("docs_mutable", CancellationToken.None);

        (await DocumentsAsync("docs_mutable")).ShouldBe(live);
    }

    [Fact]
    public async Task A_checkpoint_left_rebuilding_by_a_dead_node_is_taken_back_by_the_leader()
    {
        var projection = new RecordingProjection("orphaned");
        await using var daemon = new ProjectionDaemon(Store, [projection], FastOptions(), new TestLogger<ProjectionDaemon>(output, ""));
        await daemon.StartAsync(CancellationToken.None);
        (await daemon.WaitForCaughtUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None)).ShouldBeTrue();

        // What a node that died mid-rebuild leaves: the status, but no session holding the rebuild lock.
        await ExecAsync($"update {Store.Schema}.projection_progress set status = 'rebuilding' where name = 'orphaned'");
        var id = NewId();
        await Store.StartStreamAsync(id, "account", [new AccountOpened(id, "Li", Now)]);

        (await daemon.WaitForCaughtUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None)).ShouldBeTrue();
        var status = (await daemon.StatusAsync(CancellationToken.None)).Single();
        status.Status.ShouldBe("running");
        status.Error.ShouldNotBeNull().ShouldContain("rebuild");
    }

    [Fact]
    public async Task Two_rebuilds_of_one_projection_do_not_overlap()
    {
        var gated = new GatedProjection(new AccountDocuments("docs_once"));
        var options = FastOptions();
        options.RebuildBatchSize = 5;
        await using var daemon = new ProjectionDaemon(Store, [gated], options, new TestLogger<ProjectionDaemon>(output, ""));
        await AppendAccountsAsync(3);

        var first = daemon.RebuildAsync("docs_once", CancellationToken.None);
        await gated.Held.WaitAsync(TimeSpan.FromSeconds(10));
        await Should.ThrowAsync<InvalidOperationException>(() => daemon.RebuildAsync("docs_once", CancellationToken.None));
        gated.Release();
        await first.WaitAsync(TimeSpan.FromSeconds(20));
        (await daemon.StatusAsync(CancellationToken.None)).Single().Status.ShouldBe("running");
    }

    private async Task AppendAccountsAsync(int accounts)
    {
        for (var i = 0; i < accounts; i++)
        {
            var id = NewId();
            await Store.StartStreamAsync(id, "account", [new AccountOpened(id, $"Owner {i}", Now)]);
            for (var k = 0; k < i % 4; k++)
                await Store.AppendAsync(id, "account", ExpectedVersion.Any, [new MoneyDeposited(id, k + 0.5m, Now)]);
            if (i % 5 == 0) await Store.AppendAsync(id, "account", ExpectedVersion.Any, [new AccountClosed(id, "done", Now)]);
        }
    }

    private async Task<List<(string Id, string Data, long LastSeq)>> DocumentsAsync(string table)
    {
        var rows = new List<(string, string, long)>();
        await using var cmd = Store.DataSource.CreateCommand($"select id, data::text, last_seq from {Store.Schema}.{table} order by id");
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) rows.Add((r.GetString(0), r.GetString(1), r.GetInt64(2)));
        return rows;
    }

    private async Task ExecAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
