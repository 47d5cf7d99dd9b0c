using System.Diagnostics;
using GovEvents.Projections.Cases;
using Marten;
using Marten.Services;
using Npgsql;
using Shouldly;
using Xunit.Abstractions;
using static GovEvents.Store.Tests.Guarantees.Daemons;

namespace GovEvents.Store.Tests.Guarantees;

/// <summary>
/// The async daemon (our configuration, our case views) against sequence gaps: a transaction that
/// commits after later ones is still projected, one that rolls back holds nothing up.
/// </summary>
public sealed class FeedOrderTests(DaemonDatabase db, ITestOutputHelper output) : IClassFixture<DaemonDatabase>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Transactions_that_commit_after_later_ones_are_still_projected()
    {
        var store = await db.OpenAsync();
        var log = db.Log(store);
        using var daemon = await store.BuildProjectionDaemonAsync(logger: new TestOutputLogger(output));
        await daemon.StartAllAsync();
        var clock = Stopwatch.StartNew();

        // Two appends draw their sequence numbers and stay uncommitted, one for 15 s, one for 70 s,
        // while others commit above them.
        var (shortId, longId) = (CaseStories.NewId(), CaseStories.NewId());
        await using var shortHeld = await OpenAppend.StartAsync(db.DataSource, store, shortId, CaseStories.Events(shortId, 2));
        await using var longHeld = await OpenAppend.StartAsync(db.DataSource, store, longId, CaseStories.Events(longId, 2));
        var committed = new List<string>();
        TimeSpan? shortProjectedAt = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(70))
        {
            var id = CaseStories.NewId();
            await log.StartStreamAsync(id, CaseStories.Events(id, 2));
            committed.Add(id);
            if (clock.Elapsed >= TimeSpan.FromSeconds(15) && !shortHeld.Committed)
            {
                await shortHeld.CommitAsync();
                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: the 15 s transaction committed");
            }
            if (shortHeld.Committed && shortProjectedAt is null && (await CaseViewsAsync(store, [shortId])).Count == 1)
                shortProjectedAt = clock.Elapsed;
            await Task.Delay(500);
        }
        await longHeld.CommitAsync();
        var longCommittedAt = clock.Elapsed;

        string[] all = [shortId, longId, .. committed];
        await Eventually.Until(async () => (await CaseViewsAsync(store, all)).Values.Count(v => v.Version == 2), n => n == all.Length,
            Generous, $"all {all.Length} case views at version 2");
        var head = await db.HeadAsync();
        await Eventually.Until(() => ProgressAsync(store, CaseViewProjection.ProjectionName), p => p >= head, Generous, $"case views at the head {head}");
        output.WriteLine($"{committed.Count} appends committed while two were open; the 15 s one projected at {shortProjectedAt?.TotalSeconds:0.0} s, "
            + $"everything {(clock.Elapsed - longCommittedAt).TotalSeconds:0.0} s after the 70 s one committed");
        // The daemon moved on as soon as the shorter transaction committed, not only at the end.
        shortProjectedAt.ShouldNotBeNull("the 15 s transaction's case is projected while the 70 s one is still open");
    }

    [Fact]
    public async Task A_rolled_back_transaction_leaves_a_gap_that_stalls_nothing()
    {
        var store = await db.OpenAsync();
        var log = db.Log(store);
        using var daemon = await store.BuildProjectionDaemonAsync(logger: new TestOutputLogger(output));
        await daemon.StartAllAsync();

        var (doomedId, keptId) = (CaseStories.NewId(), CaseStories.NewId());
        await using (var doomed = await OpenAppend.StartAsync(db.DataSource, store, doomedId, CaseStories.Events(doomedId, 3)))
        {
            await log.StartStreamAsync(keptId, CaseStories.Events(keptId, 2));
            await doomed.RollbackAsync();
        }
        var clock = Stopwatch.StartNew();
        var head = await db.HeadAsync();

        await Eventually.Until(() => ProgressAsync(store, CaseViewProjection.ProjectionName), p => p >= head, TimeSpan.FromSeconds(30),
            $"case views past the gap, at the head {head}");
        output.WriteLine($"past the rolled-back gap {clock.Elapsed.TotalSeconds:0.0} s after the rollback");
        var views = await CaseViewsAsync(store, [doomedId, keptId]);
        views.Keys.ShouldBe([keptId]);
        views[keptId].Version.ShouldBe(2);
    }
}

/// <summary>Events appended through a Marten session in a transaction the test commits or rolls back when it chooses.</summary>
public sealed class OpenAppend : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private OpenAppend(NpgsqlConnection connection, NpgsqlTransaction transaction) => (_connection, _transaction) = (connection, transaction);

    public bool Committed { get; private set; }

    public static async Task<OpenAppend> StartAsync(NpgsqlDataSource dataSource, IDocumentStore store, string streamId, object[] events)
    {
        var connection = await dataSource.OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var session = store.LightweightSession(SessionOptions.ForTransaction(transaction)))
        {
            EventLog.Stage(session, [StreamAppend.Start(streamId, events)]);
            await session.SaveChangesAsync();
        }
        return new OpenAppend(connection, transaction);
    }

    public async Task CommitAsync()
    {
        await _transaction.CommitAsync();
        Committed = true;
    }

    public Task RollbackAsync() => _transaction.RollbackAsync();

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
