using GovEvents.Projections.Cases;
using Shouldly;
using Xunit.Abstractions;
using static GovEvents.Store.Tests.Guarantees.Daemons;

namespace GovEvents.Store.Tests.Guarantees;

/// <summary>A rebuild of the case views by Marten's daemon gives the documents incremental processing gave.</summary>
public sealed class RebuildTests(DaemonDatabase db, ITestOutputHelper output) : IClassFixture<DaemonDatabase>
{
    [Fact]
    public async Task A_rebuild_yields_the_same_case_views_as_incremental_processing()
    {
        var store = await db.OpenAsync();
        var log = db.Log(store);
        using var daemon = await store.BuildProjectionDaemonAsync(logger: new TestOutputLogger(output));
        await daemon.StartAllAsync();

        // 80 cases of one to eight events, appended in waves while the daemon runs: many small batches.
        var cases = Enumerable.Range(0, 80).Select(i => (Id: CaseStories.NewId(), Count: 1 + i % 8)).ToList();
        for (var wave = 0; wave < 8; wave++)
        {
            var step = wave;
            await Parallel.ForEachAsync(cases.Where(c => c.Count > step), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (c, ct) =>
                await log.AppendAsync(c.Id, step, [CaseStories.Events(c.Id, step + 1)[step]], ct));
        }
        cases.Sum(c => c.Count).ShouldBeGreaterThan(300);
        var ids = cases.Select(c => c.Id).ToList();
        await Eventually.Until(async () => (await CaseViewsAsync(store, ids)).Values.Count(v => v.Version == cases.Single(c => c.Id == v.Id).Count),
            n => n == cases.Count, TimeSpan.FromSeconds(60), "every case view at its stream's version");
        var incremental = await StoredViewsAsync();

        await daemon.RebuildProjectionAsync(CaseViewProjection.ProjectionName, TimeSpan.FromMinutes(2), CancellationToken.None);

        var rebuilt = await StoredViewsAsync();
        rebuilt.Count.ShouldBe(cases.Count);
        rebuilt.ShouldBe(incremental);
        (await ProgressAsync(store, CaseViewProjection.ProjectionName)).ShouldBe(await db.HeadAsync());
    }

    /// <summary>Every case view's stored JSON (jsonb prints it canonically), by id.</summary>
    private async Task<List<(string Id, string Data)>> StoredViewsAsync()
    {
        var rows = new List<(string, string)>();
        await using var cmd = db.DataSource.CreateCommand($"select id, data::text from {DaemonDatabase.Schema}.mt_doc_case_view order by id");
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) rows.Add((r.GetString(0), r.GetString(1)));
        return rows;
    }
}
