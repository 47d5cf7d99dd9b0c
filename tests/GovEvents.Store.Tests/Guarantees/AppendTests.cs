using Npgsql;
using Shouldly;

namespace GovEvents.Store.Tests.Guarantees;

/// <summary>Appends through <see cref="EventLog"/> on our Marten configuration: expected versions hold under concurrency.</summary>
public sealed class AppendTests(DaemonDatabase db) : IClassFixture<DaemonDatabase>
{
    private DateTimeOffset Now => db.Time.GetUtcNow();

    [Fact]
    public async Task Concurrent_appends_at_one_expected_version_let_exactly_one_win_and_the_others_get_a_concurrency_exception()
    {
        var log = db.Log(await db.OpenAsync());
        var id = "case-" + Guid.NewGuid().ToString("N");
        await log.StartStreamAsync(id, [new CaseFiled(id, "餐饮许可", Now)]);

        for (var version = 1; version <= 20; version++)
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var expected = version;
            var racers = Enumerable.Range(0, 6).Select(racer => Task.Run(async () =>
            {
                await start.Task;
                try
                {
                    await log.AppendAsync(id, expected, [new CaseNoteAdded(id, $"racer {racer}", racer, Now)]);
                    return (Won: true, Error: (Exception?)null);
                }
                catch (Exception e)
                {
                    return (Won: false, Error: e);
                }
            })).ToList();
            start.SetResult();
            var results = await Task.WhenAll(racers);

            results.Count(r => r.Won).ShouldBe(1, $"at version {expected}");
            foreach (var (_, error) in results.Where(r => !r.Won))
            {
                var conflict = error.ShouldBeOfType<ConcurrencyException>();
                conflict.StreamId.ShouldBe(id);
                conflict.Expected.ShouldBe(ExpectedVersion.At(expected));
            }
            (await log.StreamVersionAsync(id)).ShouldBe(expected + 1);
        }

        var events = await log.FetchStreamAsync(id);
        events.Select(e => e.Version).ShouldBe(Enumerable.Range(1, 21));
    }

    [Fact]
    public async Task A_thousand_parallel_starts_of_different_streams_are_all_stored_with_contiguous_versions()
    {
        var log = db.Log(await db.OpenAsync());
        var streams = Enumerable.Range(0, 1000).Select(i => (Id: $"start-{i:0000}-{Guid.NewGuid():N}", Events: 1 + i % 3)).ToList();

        await Parallel.ForEachAsync(streams, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (s, ct) =>
        {
            var events = Enumerable.Range(0, s.Events).Select(n => (object)(n == 0 ? new CaseFiled(s.Id, "start", Now) : new CaseNoteAdded(s.Id, $"note {n}", n, Now)));
            (await log.StartStreamAsync(s.Id, events, ct)).ShouldBe(s.Events);
        });

        var stored = new Dictionary<string, (int[] Versions, long StreamVersion)>();
        await using (var cmd = db.DataSource.CreateCommand($"""
            select e.stream_id, array_agg(e.version order by e.seq_id), s.version
            from {DaemonDatabase.Schema}.mt_events e join {DaemonDatabase.Schema}.mt_streams s on s.id = e.stream_id
            where e.stream_id like 'start-%' group by e.stream_id, s.version
            """))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync())
                stored[r.GetString(0)] = (r.GetFieldValue<long[]>(1).Select(v => (int)v).ToArray(), r.GetInt64(2));

        stored.Count.ShouldBe(1000);
        foreach (var (id, count) in streams)
        {
            stored[id].Versions.ShouldBe(Enumerable.Range(1, count), id);
            stored[id].StreamVersion.ShouldBe(count, id);
        }
    }
}
