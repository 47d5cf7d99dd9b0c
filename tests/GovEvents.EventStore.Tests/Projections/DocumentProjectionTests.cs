using Xunit.Abstractions;
using Shouldly;
using static GovEvents.EventStore.Tests.Projections.ProjectionTestKit;

namespace GovEvents.EventStore.Tests.Projections;

public sealed class DocumentProjectionTests(StoreFixture db, ITestOutputHelper output) : IClassFixture<StoreFixture>
{
    private PgEventStore Store => db.Store;
    private DateTimeOffset Now => db.Time.GetUtcNow();

    [Fact]
    public async Task Documents_are_folded_per_stream_and_deleted_when_apply_returns_null()
    {
        var projection = new AccountDocuments("docs_fold");
        await using var daemon = new ProjectionDaemon(Store, [projection], FastOptions(), new TestLogger<ProjectionDaemon>(output, ""));
        await daemon.StartAsync(CancellationToken.None);
        var kept = NewId();
        var emptied = NewId();
        await Store.AppendAsync([
            StreamAppend.Start(kept, "account", new AccountOpened(kept, "Li", Now), new MoneyDeposited(kept, 10.5m, Now)),
            StreamAppend.Start(emptied, "account", new AccountOpened(emptied, "Wang", Now)),
        ]);
        (await daemon.WaitForCaughtUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None)).ShouldBeTrue();
        (await Load("docs_fold", emptied)).ShouldNotBeNull();

        db.Time.Advance(TimeSpan.FromHours(1));
        await Store.AppendAsync(kept, "account", 2, [new MoneyDeposited(kept, 0.25m, Now), new AccountClosed(kept, "moved", Now)]);
        await Store.AppendAsync(emptied, "account", 1, [new AccountClosed(emptied, "never used", Now)]);
        (await daemon.WaitForCaughtUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None)).ShouldBeTrue();

        (await Load("docs_fold", kept)).ShouldBe(new AccountDoc(kept, "Li", 10.75m, 2, true, Now));
        (await Load("docs_fold", emptied)).ShouldBeNull();
    }

    [Fact]
    public async Task Applying_events_a_second_time_changes_nothing()
    {
        var projection = new AccountDocuments("docs_replay");
        await using var daemon = new ProjectionDaemon(Store, [projection], FastOptions(), new TestLogger<ProjectionDaemon>(output, ""));
        await daemon.EnsureTablesAsync(CancellationToken.None);
        var id = NewId();
        var appended = await Store.StartStreamAsync(id, "account", [new AccountOpened(id, "Li", Now), new MoneyDeposited(id, 3, Now)]);

        await ApplyLiveAsync(projection, appended.Events);
        await ApplyLiveAsync(projection, appended.Events);
        await ApplyLiveAsync(projection, [appended.Events[1]]);

        (await Load("docs_replay", id)).ShouldBe(new AccountDoc(id, "Li", 3, 1, false, Now));
    }

    [Fact]
    public async Task Ensuring_tables_twice_is_harmless_and_keeps_their_rows()
    {
        var projection = new AccountDocuments("docs_ensure");
        await using var daemon = new ProjectionDaemon(Store, [projection], FastOptions(), new TestLogger<ProjectionDaemon>(output, ""));
        await daemon.EnsureTablesAsync(CancellationToken.None);
        var id = NewId();
        var appended = await Store.StartStreamAsync(id, "account", [new AccountOpened(id, "Li", Now)]);
        await ApplyLiveAsync(projection, appended.Events);

        await daemon.EnsureTablesAsync(CancellationToken.None);

        (await Load("docs_ensure", id)).ShouldNotBeNull();
        // Only tables were made: no checkpoint, so the same call serves inline projections.
        (await ScalarAsync(Store.DataSource, $"select count(*) from {Store.Schema}.projection_progress where name = 'docs_ensure'")).ShouldBe(0);
    }

    private async Task ApplyLiveAsync(IProjection projection, IReadOnlyList<StoredEvent> events)
    {
        await using var conn = await Store.DataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var context = new ProjectionContext(conn, tx, Store.Schema, Store.Serializer, name => ProjectionContext.LiveTable(Store.Schema, name));
        await projection.ApplyAsync(events, context, CancellationToken.None);
        await tx.CommitAsync();
    }

    private Task<AccountDoc?> Load(string name, string id) =>
        DocumentProjection<AccountDoc>.LoadAsync(Store.DataSource, Store.Schema, name, id, Store.Serializer, CancellationToken.None);
}
