using Npgsql;
using Shouldly;

namespace GovEvents.EventStore.Tests;

public sealed class AppendTests(StoreFixture db) : IClassFixture<StoreFixture>
{
    private PgEventStore Store => db.Store;
    private static string NewId() => "acc-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Starting_a_stream_twice_is_a_concurrency_conflict()
    {
        var id = NewId();
        await Store.StartStreamAsync(id, "account", [new AccountOpened(id, "Li", db.Time.GetUtcNow())]);

        var ex = await Should.ThrowAsync<ConcurrencyException>(() =>
            Store.StartStreamAsync(id, "account", [new AccountOpened(id, "Wang", db.Time.GetUtcNow())]));
        ex.StreamId.ShouldBe(id);
        (await Store.FetchStreamAsync(id)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Two_appends_at_the_same_expected_version_exactly_one_wins()
    {
        var id = NewId();
        await Store.StartStreamAsync(id, "account", [new AccountOpened(id, "Li", db.Time.GetUtcNow())]);

        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await Store.AppendAsync(id, "account", 1, [new MoneyDeposited(id, i, db.Time.GetUtcNow())]);
                return true;
            }
            catch (ConcurrencyException) { return false; }
        })).ToList();
        var outcomes = await Task.WhenAll(attempts);

        outcomes.Count(won => won).ShouldBe(1);
        var events = await Store.FetchStreamAsync(id);
        events.Select(e => e.Version).ShouldBe([1, 2]);
    }

    [Fact]
    public async Task Appending_at_a_stale_version_reports_the_actual_version_and_appends_nothing()
    {
        var id = NewId();
        await Store.StartStreamAsync(id, "account", [new AccountOpened(id, "Li", db.Time.GetUtcNow()), new MoneyDeposited(id, 5, db.Time.GetUtcNow())]);

        var ex = await Should.ThrowAsync<ConcurrencyException>(() =>
            Store.AppendAsync(id, "account", 1, [new MoneyDeposited(id, 1, db.Time.GetUtcNow())]));
        ex.Actual.ShouldBe(2);
        (await Store.FetchStreamStateAsync(id))!.Version.ShouldBe(2);
    }

    [Fact]
    public async Task Appending_to_a_missing_stream_with_an_expected_version_is_a_conflict()
    {
        var id = NewId();
        await Should.ThrowAsync<ConcurrencyException>(() =>
            Store.AppendAsync(id, "account", 3, [new MoneyDeposited(id, 1, db.Time.GetUtcNow())]));
        (await Store.FetchStreamStateAsync(id)).ShouldBeNull();
    }

    [Fact]
    public async Task A_thousand_parallel_appends_to_different_streams_are_all_stored_with_contiguous_versions()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => NewId()).ToList();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (id, ct) =>
        {
            await Store.StartStreamAsync(id, "account", [new AccountOpened(id, "x", db.Time.GetUtcNow())], ct);
            await Store.AppendAsync(id, "account", 1, [new MoneyDeposited(id, 1, db.Time.GetUtcNow()), new MoneyDeposited(id, 2, db.Time.GetUtcNow())], ct);
        });

        await using var cmd = db.Store.DataSource.CreateCommand(
            $"select stream_id, array_agg(version order by version) from {db.Options.Schema}.events where stream_id = any($1) group by stream_id");
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids.ToArray() });
        var versions = new Dictionary<string, int[]>();
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) versions[r.GetString(0)] = r.GetFieldValue<int[]>(1);

        versions.Count.ShouldBe(1000);
        versions.Values.ShouldAllBe(v => v.SequenceEqual(new[] { 1, 2, 3 }));
    }

    [Fact]
    public async Task Appends_to_several_streams_commit_together_or_not_at_all()
    {
        var a = NewId();
        var b = NewId();
        await Store.StartStreamAsync(b, "account", [new AccountOpened(b, "B", db.Time.GetUtcNow())]);

        // b is at version 1, so expecting 5 fails: a must not be started either.
        await Should.ThrowAsync<ConcurrencyException>(() => Store.AppendAsync([
            StreamAppend.Start(a, "account", new AccountOpened(a, "A", db.Time.GetUtcNow())),
            StreamAppend.To(b, "account", 5, new MoneyDeposited(b, 1, db.Time.GetUtcNow())),
        ]));
        (await Store.FetchStreamStateAsync(a)).ShouldBeNull();

        var result = await Store.AppendAsync([
            StreamAppend.Start(a, "account", new AccountOpened(a, "A", db.Time.GetUtcNow())),
            StreamAppend.To(b, "account", 1, new MoneyDeposited(b, 1, db.Time.GetUtcNow())),
        ]);
        result.VersionOf(a).ShouldBe(1);
        result.VersionOf(b).ShouldBe(2);
    }

    [Fact]
    public async Task Every_event_carries_the_ambient_metadata()
    {
        var id = NewId();
        var meta = new EventMetadata
        {
            ActorId = "staff-7", ActorKind = ActorKind.Staff, Role = "clerk", Department = "MARKET",
            Window = "W01", DelegationId = "del-1", CorrelationId = "corr-1", CausationId = "cause-1",
        };
        using (EventContext.Use(meta))
            await Store.StartStreamAsync(id, "account", [new AccountOpened(id, "Li", db.Time.GetUtcNow())]);

        var stored = (await Store.FetchStreamAsync(id)).Single();
        stored.Metadata.ShouldBe(meta);
        stored.Type.ShouldBe("account_opened");
    }

    [Fact]
    public async Task An_archived_stream_takes_no_new_events()
    {
        var id = NewId();
        await Store.StartStreamAsync(id, "account", [new AccountOpened(id, "Li", db.Time.GetUtcNow())]);
        await Store.ArchiveStreamAsync(id);

        await Should.ThrowAsync<StreamArchivedException>(() =>
            Store.AppendAsync(id, "account", ExpectedVersion.Any, [new MoneyDeposited(id, 1, db.Time.GetUtcNow())]));
        await Should.ThrowAsync<StreamArchivedException>(() =>
            Store.AppendAsync(id, "account", 1, [new MoneyDeposited(id, 1, db.Time.GetUtcNow())]));
        (await Store.FetchStreamStateAsync(id))!.Archived.ShouldBeTrue();
    }
}
