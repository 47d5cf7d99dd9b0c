using Shouldly;
using static GovEvents.EventStore.Tests.Projections.ProjectionTestKit;

namespace GovEvents.EventStore.Tests.Projections;

/// <summary>A stream's versions come in the daemon's (transaction id, sequence) order.</summary>
public sealed class StreamOrderTests(StoreFixture db) : IClassFixture<StoreFixture>
{
    private PgEventStore Store => db.Store;
    private DateTimeOffset Now => db.Time.GetUtcNow();

    [Fact]
    public async Task An_older_transaction_cannot_append_after_a_younger_one_committed_to_the_same_stream()
    {
        var id = NewId();
        var other = NewId();
        await Store.StartStreamAsync(id, "account", [new AccountOpened(id, "Li", Now)]);

        // The old transaction takes its id first (it writes another stream, as a multi-stream append or a timer claim does).
        await using var conn = await Store.DataSource.OpenConnectionAsync();
        await using var old = await conn.BeginTransactionAsync();
        await Store.AppendAsync([StreamAppend.Start(other, "account", new AccountOpened(other, "Wang", Now))], conn, old);

        // A younger transaction appends to the stream and commits.
        await Store.AppendAsync(id, "account", 1, [new MoneyDeposited(id, 1, Now)]);

        // Were the old one to append version 3 now, the feed would hold version 3 before version 2.
        var ex = await Should.ThrowAsync<ConcurrencyException>(() =>
            Store.AppendAsync([StreamAppend.To(id, "account", 2, new MoneyDeposited(id, 2, Now))], conn, old));
        ex.StreamId.ShouldBe(id);
        await old.RollbackAsync();

        // Retried in a new transaction, it goes through.
        await Store.AppendAsync(id, "account", 2, [new MoneyDeposited(id, 2, Now)]);
        var feed = await Store.FetchStreamAsync(id);
        feed.Select(e => e.Version).ShouldBe([1, 2, 3]);
        feed.Select(e => e.TransactionId).ShouldBeInOrder();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task The_order_guard_holds_for_a_stream_started_in_one_statement_and_for_single_and_multi_event_appends(int events)
    {
        var id = NewId();
        var other = NewId();

        await using var conn = await Store.DataSource.OpenConnectionAsync();
        await using var old = await conn.BeginTransactionAsync();
        await Store.AppendAsync([StreamAppend.Start(other, "account", new AccountOpened(other, "Wang", Now))], conn, old);

        // A younger transaction starts the stream (the new-stream fast path) and commits.
        await Store.StartStreamAsync(id, "account", [new AccountOpened(id, "Li", Now)]);

        var deposits = Enumerable.Range(1, events).Select(i => (object)new MoneyDeposited(id, i, Now)).ToArray();
        await Should.ThrowAsync<ConcurrencyException>(() =>
            Store.AppendAsync([StreamAppend.To(id, "account", 1, deposits)], conn, old));
        await old.RollbackAsync();
        (await Store.FetchStreamStateAsync(id))!.Version.ShouldBe(1);
    }
}
