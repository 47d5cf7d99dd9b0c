using System.Diagnostics;
using GovEvents.Bench;
using GovEvents.Bench.Measure;
using GovEvents.Bench.Rebuild;
using GovEvents.Bench.Scenarios;
using GovEvents.Bench.Workload;
using GovEvents.EventStore;
using Npgsql;

// The event store benchmark of issue 2: raw Npgsql against the store, interleaved, in one run.
// dotnet run -c Release --project bench -- [--seconds 10] [--rounds 5] [--quick] [--admin "<conn>"]

BenchOptions options;
try { options = BenchOptions.Parse(args); }
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine("usage: bench [--quick] [--seconds N] [--rounds N] [--writers 1,16] [--rebuild-events N] [--rebuild-rounds N] [--rebuild-page N] [--admin \"<npgsql conn>\"] [--out file] [--keep]");
    return 2;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
var ct = cts.Token;

using var requestContext = EventContext.Use(Shared.Metadata);

var started = DateTimeOffset.Now;
var clock = Stopwatch.StartNew();
using var load = new LoadSampler();
Log($"govevents bench ({(options.Quick ? "quick" : "full")}): {options.Seconds}s per side in {options.Rounds} round(s), writers {string.Join(",", options.Writers)}, rebuild {options.RebuildEvents:N0} events");

await using BenchDatabase db = await BenchDatabase.CreateAsync(options.Admin, options.Experiments, ct);
db.Keep = options.Keep;
var pgVersion = await db.ServerVersionAsync(ct);
var pgSettings = await db.ServerSettingsAsync(ct);

var rawProbe = new CpuProbe(db.ConnectionString, BenchDatabase.RawApplication);
var storeProbe = new CpuProbe(db.ConnectionString, BenchDatabase.StoreApplication);
var pool = await AggregateStream.SeedAsync(db.Raw, db.Store, ct);
var scenarios = new (string Title, ISide Raw, ISide Store)[]
{
    (StartStream.Title, new StartStream.Raw(db.Raw, options.RawPrepared), new StartStream.Store(db.Store)),
    (AppendExpected.Title, new AppendExpected.Raw(db.Raw, options.RawPrepared), new AppendExpected.Store(db.Store)),
    (AggregateStream.Title, new AggregateStream.Raw(db.Raw, pool.Raw, options.RawPrepared), new AggregateStream.Store(db.Store, pool.Store)),
};

if (options.Profile is { } profile)
{
    // One side of one scenario, alone, for a profiler attached from outside (perf record -p / -a).
    var (title, raw, store) = scenarios.Single(x => x.Title.StartsWith(profile.Scenario, StringComparison.Ordinal));
    var side = profile.Store ? store : raw;
    await Runner.RunAsync(side, profile.Writers, options.Warmup, null, ct);
    Log($"profile {title} {(profile.Store ? "store" : "raw")} x{profile.Writers}: measuring {options.Seconds}s");
    var run = await Runner.RunAsync(side, profile.Writers, TimeSpan.FromSeconds(options.Seconds), profile.Store ? storeProbe : rawProbe, ct);
    var stats = SideStats.From([run]);
    Log($"{stats.OpsPerSecond:0} ops/s, p50 {stats.P50Ms:0.00} ms, p99 {stats.P99Ms:0.00} ms, CPU µs/op client {stats.ClientCpuUs:0} server {stats.ServerCpuUs:0}");
    return 0;
}

var rows = new List<Comparison>();
foreach (var (title, raw, store) in scenarios.Where(x => options.Runs(x.Title)))
    foreach (var writers in options.Writers)
        rows.Add(await CompareAsync(title, raw, store, writers));

var rebuild = options.Runs("rebuild") ? await RebuildAsync() : null;

static int Utf8(object value) => System.Text.Encoding.UTF8.GetByteCount(RawJson.Serialize(value));
var info = new RunInfo(started, clock.Elapsed, options, pgVersion, pgSettings, load.Summary,
    Utf8(CaseSamples.Submitted("case-0000001", 1)),
    Enumerable.Range(1, AggregateStream.EventsPerStream).Average(n => Utf8(CaseSamples.Event("case-0000001", 1, n))),
    Utf8(Shared.Metadata));
var markdown = Report.Markdown(rows, rebuild, info);
var path = options.OutputPath;
Directory.CreateDirectory(Path.GetDirectoryName(path)!);
await File.WriteAllTextAsync(path, markdown, ct);
Console.WriteLine();
Console.WriteLine(markdown);
Log($"written to {path}");
return 0;

async Task<Comparison> CompareAsync(string title, ISide raw, ISide store, int writers)
{
    Log($"{title}, {writers} writer(s): warm-up");
    await Runner.RunAsync(raw, writers, options.Warmup, null, ct);
    await Runner.RunAsync(store, writers, options.Warmup, null, ct);

    var slice = TimeSpan.FromSeconds(options.Seconds / options.Rounds);
    var rawRuns = new List<RunResult>();
    var storeRuns = new List<RunResult>();
    var ratios = new List<double>();
    for (var round = 0; round < options.Rounds; round++)
    {
        RunResult r, s;
        if (round % 2 == 0) { r = await Runner.RunAsync(raw, writers, slice, rawProbe, ct); s = await Runner.RunAsync(store, writers, slice, storeProbe, ct); }
        else { s = await Runner.RunAsync(store, writers, slice, storeProbe, ct); r = await Runner.RunAsync(raw, writers, slice, rawProbe, ct); }
        rawRuns.Add(r);
        storeRuns.Add(s);
        ratios.Add(s.OpsPerSecond / r.OpsPerSecond);
        Log($"  round {round + 1}: raw {r.OpsPerSecond:0} ops/s, store {s.OpsPerSecond:0} ops/s, ratio {ratios[^1]:0.00}");
    }
    var row = new Comparison(title, writers, SideStats.From(rawRuns), SideStats.From(storeRuns), ratios, 0.8);
    Log($"  => ratio {row.Ratio:0.00}; raw p50/p99 {row.Raw.P50Ms:0.00}/{row.Raw.P99Ms:0.00} ms, store {row.Store!.P50Ms:0.00}/{row.Store.P99Ms:0.00} ms; " +
        $"CPU µs/op client+server raw {row.Raw.ClientCpuUs:0}+{row.Raw.ServerCpuUs:0}, store {row.Store.ClientCpuUs:0}+{row.Store.ServerCpuUs:0}");
    return row;
}

async Task<RebuildComparison?> RebuildAsync()
{
    // Its own schema, so the projection folds exactly the seeded events and nothing the other scenarios wrote.
    var rebuildOptions = new EventStoreOptions { ConnectionString = db.ConnectionString, Schema = "govevents_rebuild" };
    foreach (var (alias, type) in CaseEventTypes.ByAlias) rebuildOptions.Types.Register(type, alias);
    await new SchemaMigrator(rebuildOptions, db.ConnectionString).MigrateAsync(ct);
    await db.ApplyExperimentsAsync(rebuildOptions.Schema, ct);
    await using var store = new PgEventStore(rebuildOptions, TimeProvider.System, db.StoreData);

    var seedClock = Stopwatch.StartNew();
    Log($"rebuild: seeding {options.RebuildEvents:N0} events through the store");
    await RebuildSeed.SeedAsync(store, options.RebuildEvents, ct);
    await using (var vacuum = db.Raw.CreateCommand($"vacuum analyze {rebuildOptions.Schema}.events"))
        await vacuum.ExecuteNonQueryAsync(ct);
    var streams = options.RebuildEvents / RebuildSeed.EventsPerStream;
    var events = (long)streams * RebuildSeed.EventsPerStream;
    Log($"rebuild: seeded in {seedClock.Elapsed.TotalSeconds:0.0}s ({events / seedClock.Elapsed.TotalSeconds:0} events/s through the store)");

    var rawLoop = new RawRebuild(db.Raw, $"{rebuildOptions.Schema}.events", options.RebuildPage, options.RawPrepared);
    var rawRates = new List<double>();
    var storeRates = new List<double>();
    var ratios = new List<double>();
    await rawLoop.RunAsync(ct); // warm-up
    for (var round = 0; round < options.RebuildRounds; round++)
    {
        async Task<double> Raw()
        {
            var c = Stopwatch.StartNew();
            var n = await rawLoop.RunAsync(ct);
            if (n != events) throw new InvalidOperationException($"raw rebuild processed {n} of {events} events");
            return n / c.Elapsed.TotalSeconds;
        }
        async Task<double?> Store() => await StoreRebuild.RunAsync(store, options.RebuildPage, ct) is { } t ? events / t.TotalSeconds : null;

        double r; double? s;
        if (round % 2 == 0) { r = await Raw(); s = await Store(); }
        else { s = await Store(); r = await Raw(); }
        rawRates.Add(r);
        if (s is { } rate) { storeRates.Add(rate); ratios.Add(rate / r); }
        Log($"  rebuild round {round + 1}: raw {r:0} events/s, store {(s is null ? "pending daemon" : $"{s:0} events/s, ratio {s / r:0.00}")}");
    }
    var check = StoreRebuild.Available
        ? await CompareDocumentsAsync($"{rebuildOptions.Schema}.{StoreRebuild.ProjectionName}", RawRebuild.DocsTable, streams)
        : null;
    return new RebuildComparison(events, streams, options.RebuildPage, rawRates, storeRates, ratios, check);
}

async Task<string> CompareDocumentsAsync(string storeTable, string rawTable, int expected)
{
    await using var cmd = db.Raw.CreateCommand($"""
        select (select count(*) from {storeTable}), (select count(*) from {rawTable}),
               (select count(*) from {storeTable} s full join {rawTable} r using (id) where s.data is distinct from r.data)
        """);
    try
    {
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var (s, raw, differ) = (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2));
        return differ == 0 && s == expected
            ? $"the daemon's {s:N0} documents equal the raw loop's {raw:N0}"
            : $"**mismatch**: daemon {s:N0} documents, raw {raw:N0}, {differ:N0} differ (expected {expected:N0})";
    }
    catch (PostgresException ex)
    {
        return $"not compared ({ex.MessageText})";
    }
}

static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
