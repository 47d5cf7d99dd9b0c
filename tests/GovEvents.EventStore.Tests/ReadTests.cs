using Newtonsoft.Json.Linq;
using Shouldly;

namespace GovEvents.EventStore.Tests;

public sealed class ReadTests(StoreFixture db) : IClassFixture<StoreFixture>
{
    private PgEventStore Store => db.Store;

    [Fact]
    public async Task Aggregate_at_the_latest_version_at_a_version_and_as_of_a_time()
    {
        var id = "acc-" + Guid.NewGuid().ToString("N");
        var t0 = db.Time.GetUtcNow();
        await Store.StartStreamAsync(id, "account", [new AccountOpened(id, "Li", t0), new MoneyDeposited(id, 10.25m, t0)]);
        db.Time.Advance(TimeSpan.FromHours(1));
        var t1 = db.Time.GetUtcNow();
        await Store.AppendAsync(id, "account", 2, [new MoneyDeposited(id, 5m, t1)]);
        db.Time.Advance(TimeSpan.FromHours(1));
        await Store.AppendAsync(id, "account", 3, [new AccountClosed(id, "moved", db.Time.GetUtcNow())]);

        var latest = await Store.AggregateStreamAsync(id, new Account(), Account.Evolve);
        latest!.Version.ShouldBe(4);
        latest.State.ShouldBe(new Account(id, "Li", 15.25m, true));

        var atTwo = await Store.AggregateStreamAsync(id, new Account(), Account.Evolve, version: 2);
        atTwo!.State.Balance.ShouldBe(10.25m);
        atTwo.Version.ShouldBe(2);

        var asOf = await Store.AggregateStreamAsync(id, new Account(), Account.Evolve, asOf: t1.AddMinutes(30));
        asOf!.Version.ShouldBe(3);
        asOf.State.ShouldBe(new Account(id, "Li", 15.25m, false));

        (await Store.AggregateStreamAsync(id, new Account(), Account.Evolve, asOf: t0.AddSeconds(-1))).ShouldBeNull();
    }

    [Fact]
    public async Task Fetch_from_a_version_and_read_the_global_feed_in_order()
    {
        var id = "acc-" + Guid.NewGuid().ToString("N");
        await Store.StartStreamAsync(id, "account", [new AccountOpened(id, "Li", db.Time.GetUtcNow()), new MoneyDeposited(id, 1, db.Time.GetUtcNow()), new MoneyDeposited(id, 2, db.Time.GetUtcNow())]);

        var tail = await Store.FetchStreamAsync(id, fromVersion: 2);
        tail.Select(e => e.Version).ShouldBe([2, 3]);

        var feed = await Store.ReadAllAsync(tail[0].Sequence, 2);
        feed.Select(e => e.Sequence).ShouldBe([tail[0].Sequence, tail[1].Sequence]);
        feed[0].Data.ShouldBe(new MoneyDeposited(id, 1, db.Time.GetUtcNow()));
    }

    [Fact]
    public void Serialization_round_trips_decimals_instants_and_dates_exactly()
    {
        var serializer = Store.Serializer;
        var e = new MoneyDeposited("a", 1234567.891m, new DateTimeOffset(2026, 10, 1, 8, 30, 15, 123, TimeSpan.FromHours(8)));
        var json = serializer.Serialize(e);
        json.ShouldContain("\"amount\":1234567.891");
        serializer.Serialize(new MoneyDeposited("a", 0m, e.DepositedAt)).ShouldContain("\"amount\":0,");
        var (_, scaled) = serializer.DeserializeEvent("money_deposited", serializer.Serialize(e with { Amount = 12.50m }));
        ((MoneyDeposited)scaled).Amount.ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe("12.50");
        var (alias, back) = serializer.DeserializeEvent("money_deposited", json);
        alias.ShouldBe("money_deposited");
        back.ShouldBe(e);
        ((MoneyDeposited)back).DepositedAt.Offset.ShouldBe(TimeSpan.FromHours(8));
    }

    [Fact]
    public async Task Old_event_shapes_are_upcast_on_read()
    {
        // A v1 deposit stored "sum" in cents; v2 stores "amount" in yuan.
        var options = db.NewOptions();
        options.Types.Upcast("money_deposited_v1", "money_deposited", old => new JObject
        {
            ["accountId"] = old["accountId"],
            ["amount"] = old.Value<decimal>("sum") / 100m,
            ["depositedAt"] = old["at"],
        });
        await using var store = new PgEventStore(options, db.Time);
        var id = "acc-" + Guid.NewGuid().ToString("N");
        await store.StartStreamAsync(id, "account", [new AccountOpened(id, "Li", db.Time.GetUtcNow())]);

        // Write a v1-shaped event the way an old version of the code did.
        await using (var cmd = store.DataSource.CreateCommand(
            $"select * from {options.Schema}.append_events($1, 'account', 1, array[gen_random_uuid()], array['money_deposited_v1'], array[$2::jsonb], array['{{}}'::jsonb], array[now()])"))
        {
            cmd.Parameters.AddWithValue(id);
            cmd.Parameters.AddWithValue($$"""{"accountId":"{{id}}","sum":1250,"at":"2026-03-02T09:00:00+08:00"}""");
            await cmd.ExecuteNonQueryAsync();
        }

        var events = await store.FetchStreamAsync(id);
        events[1].Type.ShouldBe("money_deposited");
        events[1].Data.ShouldBe(new MoneyDeposited(id, 12.5m, new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8))));
        (await store.AggregateStreamAsync(id, new Account(), Account.Evolve))!.State.Balance.ShouldBe(12.5m);
    }

    [Fact]
    public void Aliases_are_snake_case_and_stable()
    {
        EventTypeRegistry.ToSnakeCase("ApplicationAccepted").ShouldBe("application_accepted");
        db.Options.Types.AliasFor(typeof(AccountOpened)).ShouldBe("account_opened");
        Should.Throw<InvalidOperationException>(() => db.Options.Types.AliasFor(typeof(string)));
    }
}
