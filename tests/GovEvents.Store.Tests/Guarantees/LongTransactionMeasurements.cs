using System.Diagnostics;
using GovEvents.Projections.Cases;
using GovEvents.Testing;
using Npgsql;
using Xunit.Abstractions;
using static GovEvents.Store.Tests.Guarantees.Daemons;

namespace GovEvents.Store.Tests.Guarantees;

/// <summary>Runs only when GOVEVENTS_MEASURE=1: measurements for bench/results, too slow for every test run.</summary>
public sealed class MeasurementFactAttribute : FactAttribute
{
    public MeasurementFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("GOVEVENTS_MEASURE") != "1") Skip = "a measurement: set GOVEVENTS_MEASURE=1 to run it";
    }
}

/// <summary>
/// How long an unrelated long transaction holds the case views behind a sequence gap (a rolled-back
/// append) on Marten's daemon, and what releases them. Figures in bench/results/long-transactions.md.
/// </summary>
public sealed class LongTransactionMeasurements(DaemonDatabase db, ITestOutputHelper output) : IClassFixture<DaemonDatabase>
{
    private static readonly TimeSpan Held = TimeSpan.FromSeconds(20);

    private static readonly string[] Scenarios = ["none", "idle-in-transaction", "active-statement", "chatty", "other-database", "active-statement-capped-5s"];

    [MeasurementFact]
    public async Task How_an_unrelated_long_transaction_holds_async_projections_behind_a_gap()
    {
        foreach (var scenario in Scenarios)
            output.WriteLine(await MeasureAsync(scenario));
    }

    private async Task<string> MeasureAsync(string scenario)
    {
        var store = await db.OpenAsync(scenario.EndsWith("capped-5s", StringComparison.Ordinal)
            ? opts => opts.Projections.SkipStaleGapsDespiteLiveTransactionsAfter = TimeSpan.FromSeconds(5)
            : null);
        var log = db.Log(store);
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();
        var warm = CaseStories.NewId();
        await log.StartStreamAsync(warm, CaseStories.Events(warm, 1));
        var head = await db.HeadAsync();
        await Eventually.Until(() => ProgressAsync(store, CaseViewProjection.ProjectionName), p => p >= head, TimeSpan.FromSeconds(60), "caught up");

        // The unrelated transaction: begins, takes a transaction id, and lives for 20 s.
        await using var unrelated = new NpgsqlConnection(scenario == "other-database" ? TestDatabase.AdminConnectionString : db.ConnectionString);
        await unrelated.OpenAsync();
        var clock = Stopwatch.StartNew();
        var ended = scenario == "none" ? Task.CompletedTask : HoldAsync(unrelated, scenario);
        // Already open for a while when the gap appears, as a long transaction is (the daemon polls meanwhile).
        await Task.Delay(TimeSpan.FromSeconds(3));

        // The gap: an append that rolls back, then an append that commits above it.
        var doomed = CaseStories.NewId();
        await using (var append = await OpenAppend.StartAsync(db.DataSource, store, doomed, CaseStories.Events(doomed, 1)))
            await append.RollbackAsync();
        var kept = CaseStories.NewId();
        await log.StartStreamAsync(kept, CaseStories.Events(kept, 1));
        head = await db.HeadAsync();
        var gapAt = clock.Elapsed;

        await Eventually.Until(() => ProgressAsync(store, CaseViewProjection.ProjectionName), p => p >= head, Held + TimeSpan.FromSeconds(60), "past the gap");
        var passed = clock.Elapsed - gapAt;
        await ended;
        return $"{scenario}: unrelated transaction {(scenario == "none" ? "none" : $"open {Held.TotalSeconds:0} s, from 3 s before the gap")}; case views past the gap {passed.TotalSeconds:0.0} s after it appeared";
    }

    private static async Task HoldAsync(NpgsqlConnection connection, string scenario)
    {
        await using var tx = await connection.BeginTransactionAsync();
        await Execute(connection, tx, "select txid_current()");
        switch (scenario)
        {
            case "active-statement" or "active-statement-capped-5s" or "other-database":
                await Execute(connection, tx, $"select pg_sleep({Held.TotalSeconds})");
                break;
            case "chatty":
                for (var clock = Stopwatch.StartNew(); clock.Elapsed < Held; await Task.Delay(1000))
                    await Execute(connection, tx, "select 1");
                break;
            default:
                await Task.Delay(Held);
                break;
        }
        await tx.CommitAsync();
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction tx, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        await cmd.ExecuteNonQueryAsync();
    }
}
