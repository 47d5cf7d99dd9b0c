using Xunit.Abstractions;
using Shouldly;
using static GovEvents.EventStore.Tests.Projections.ProjectionTestKit;

namespace GovEvents.EventStore.Tests.Projections;

/// <summary>Several processes share a database: each projection runs on exactly one of them.</summary>
public sealed class LeadershipTests(StoreFixture db, ITestOutputHelper output) : IClassFixture<StoreFixture>
{
    private DateTimeOffset Now => db.Time.GetUtcNow();

    [Fact]
    public async Task Two_daemons_never_process_the_same_projection_and_leadership_moves_when_the_leader_goes()
    {
        // Two "nodes": their own store (data source, notifier) and their own daemon.
        await using var storeA = new PgEventStore(db.NewOptions(), db.Time);
        await using var storeB = new PgEventStore(db.NewOptions(), db.Time);
        var daemonA = new ProjectionDaemon(storeA, [new RecordingProjection("who_ran", "a")], FastOptions(), new TestLogger<ProjectionDaemon>(output, "a"));
        var daemonB = new ProjectionDaemon(storeB, [new RecordingProjection("who_ran", "b")], FastOptions(), new TestLogger<ProjectionDaemon>(output, "b"));
        await using var _ = daemonB;
        try
        {
            await Task.WhenAll(daemonA.StartAsync(CancellationToken.None), daemonB.StartAsync(CancellationToken.None));
            await EventuallyAsync(() => Task.FromResult(daemonA.LeadingProjections.Count + daemonB.LeadingProjections.Count), n => n == 1);

            // Appends from both nodes, concurrently, while both daemons are running.
            var first = await AppendManyAsync(storeA, storeB, 40);
            (await daemonA.WaitForCaughtUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None)).ShouldBeTrue();
            (daemonA.LeadingProjections.Count + daemonB.LeadingProjections.Count).ShouldBe(1);

            var rows = await RecordingProjection.RowsAsync(db.Store.DataSource, db.Store.Schema, "who_ran");
            rows.GroupBy(r => r.Seq).ShouldAllBe(g => g.Count() == 1);
            rows.Select(r => r.Seq).ShouldBe(first.Order(), ignoreOrder: true);
            var leader = rows.Select(r => r.Node).Distinct().ShouldHaveSingleItem();

            // The leader goes away; the other node takes the projection over and carries on.
            var (gone, survivor, survivorNode) = leader == "a" ? (daemonA, daemonB, "b") : (daemonB, daemonA, "a");
            await gone.DisposeAsync();
            await EventuallyAsync(() => Task.FromResult(survivor.LeadingProjections.Count), n => n == 1);
            survivor.LeadingProjections.ShouldBe(["who_ran"]);

            var second = await AppendManyAsync(storeA, storeB, 10);
            (await survivor.WaitForCaughtUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None)).ShouldBeTrue();
            rows = await RecordingProjection.RowsAsync(db.Store.DataSource, db.Store.Schema, "who_ran");
            rows.GroupBy(r => r.Seq).ShouldAllBe(g => g.Count() == 1);
            rows.Where(r => second.Contains(r.Seq)).ShouldAllBe(r => r.Node == survivorNode);
            rows.Count.ShouldBe(first.Count + second.Count);
        }
        finally
        {
            await daemonA.DisposeAsync();
        }
    }

    private async Task<List<long>> AppendManyAsync(PgEventStore a, PgEventStore b, int streams)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, streams).Select(i => Task.Run(async () =>
        {
            var id = NewId();
            var store = i % 2 == 0 ? a : b;
            return await store.StartStreamAsync(id, "account", [new AccountOpened(id, "Li", Now), new MoneyDeposited(id, i, Now)]);
        })));
        return results.SelectMany(r => r.Events.Select(e => e.Sequence)).ToList();
    }
}
