using System.Diagnostics;
using GovEvents.Bench;
using GovEvents.Bench.Http;
using GovEvents.Bench.Measure;
using GovEvents.Bench.Rebuild;
using GovEvents.Bench.Scenarios;
using GovEvents.Bench.Stores;
using GovEvents.Bench.Workload;
using GovEvents.Store;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Npgsql;

// The critter-stack benchmark: raw Npgsql baselines against GovEvents on Marten (our StoreConfiguration,
// EventLog, the real API), interleaved, in one process and one run.
// dotnet run -c Release --project bench -- [--quick] [--seconds 10] [--rounds 5] [--only start,append,aggregate,levers,http,rebuild]

BenchOptions options;
try { options = BenchOptions.Parse(args); }
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
var ct = cts.Token;

using var requestContext = EventContext.Use(Shared.Metadata);

var started = DateTimeOffset.Now;
var clock = Stopwatch.StartNew();
using var load = new LoadSampler();
Log($"govevents bench ({(options.Quick ? "quick" : "full")}): {options.Seconds}s per side in {options.Rounds} round(s), writers {string.Join(",", options.Writers)}, " +
    $"levers at {options.LeverWriters}, HTTP {options.HttpClients} clients, rebuild {options.RebuildEvents:N0} events");

await using BenchDatabase db = await BenchDatabase.CreateAsync(options.Admin, options.Experiments, ct);
db.Keep = options.Keep;
var pgVersion = await db.ServerVersionAsync(ct);
var pgSettings = await db.ServerSettingsAsync(ct);

var rawProbe = new CpuProbe(db.ConnectionString, BenchDatabase.RawApplication);
var storeProbe = new CpuProbe(db.ConnectionString, BenchDatabase.StoreApplication);
var leverProbe = new CpuProbe(db.ConnectionString, BenchDatabase.LeverApplication);
var apiProbe = new CpuProbe(db.ConnectionString, BenchDatabase.ApiApplication);

Log("GovEvents store (schema govevents): StoreConfiguration.Apply, tamper evidence, Rich append");
var store = await db.StoreAsync("GovEvents", "govevents", BenchDatabase.StoreApplication, ct);
var rawPool = await AggregateStream.SeedRawAsync(db.Raw, ct);
var storePool = await AggregateStream.SeedAsync(store.Log, ct);
var scenarios = new (string Title, ISide Raw, ISide Store)[]
{
    (StartStream.Title, new StartStream.Raw(db.Raw, options.RawPrepared), new StartStream.Store(store.Log)),
    (AppendExpected.Title, new AppendExpected.Raw(db.Raw, options.RawPrepared), new AppendExpected.Store(store.Log)),
    (AggregateStream.Title, new AggregateStream.Raw(db.Raw, rawPool, options.RawPrepared), new AggregateStream.Store(store.Log, storePool)),
};

if (options.Profile is { } profile)
{
    // One side of one scenario, alone, for a profiler attached from outside (perf record -p / -a).
    var (title, raw, side) = scenarios.Single(x => x.Title.StartsWith(profile.Scenario, StringComparison.Ordinal));
    var chosen = profile.Store ? side : raw;
    await Runner.RunAsync(chosen, profile.Writers, options.Warmup, null, ct);
    Log($"profile {title} {(profile.Store ? "store" : "raw")} x{profile.Writers}: measuring {options.Seconds}s");
    var run = await Runner.RunAsync(chosen, profile.Writers, TimeSpan.FromSeconds(options.Seconds), profile.Store ? storeProbe : rawProbe, ct);
    var stats = SideStats.From([run]);
    Log($"{stats.OpsPerSecond:0} ops/s, p50 {stats.P50Ms:0.00} ms, p99 {stats.P99Ms:0.00} ms, CPU µs/op client {stats.ClientCpuUs:0} server {stats.ServerCpuUs:0}");
    return 0;
}

var rows = new List<Comparison>();
foreach (var (title, raw, side) in scenarios.Where(x => options.Runs(x.Title)))
    foreach (var writers in options.Writers)
        rows.Add(await CompareAsync(title, raw, side, writers, rawProbe, storeProbe, 0.8, "raw", "store"));

var (levers, snapshots) = options.Runs("levers") ? await LeversAsync() : ([], null);
var http = options.Runs("http") ? await HttpAsync() : null;
var rebuild = options.Runs("rebuild") ? await RebuildAsync() : null;

static int Utf8(object value) => System.Text.Encoding.UTF8.GetByteCount(RawJson.Serialize(value));
var info = new RunInfo(started, clock.Elapsed, options, pgVersion, pgSettings, load.Summary,
    Utf8(CaseSamples.Submitted("case-0000001", 1)),
    Enumerable.Range(1, AggregateStream.EventsPerStream).Average(n => Utf8(CaseSamples.Event("case-0000001", 1, n))),
    Utf8(Shared.Metadata));
var markdown = Report.Markdown(rows, levers, snapshots, http, rebuild, info);
var path = options.OutputPath;
Directory.CreateDirectory(Path.GetDirectoryName(path)!);
await File.WriteAllTextAsync(path, markdown, ct);
Console.WriteLine();
Console.WriteLine(markdown);
Log($"written to {path}");
return 0;

async Task<Comparison> CompareAsync(string title, ISide a, ISide b, int writers, CpuProbe probeA, CpuProbe probeB, double target,
    string nameA, string nameB, IEnumerable<NpgsqlDataSource>? otherPools = null)
{
    // Every row starts on empty pools: no idle connections inherited from the row before it.
    db.ClearPools(otherPools);
    Log($"{title}, {writers} writer(s): warm-up");
    await Runner.RunAsync(a, writers, options.Warmup, null, ct);
    await Runner.RunAsync(b, writers, options.Warmup, null, ct);

    var slice = TimeSpan.FromSeconds(options.Seconds / options.Rounds);
    var aRuns = new List<RunResult>();
    var bRuns = new List<RunResult>();
    var ratios = new List<double>();
    for (var round = 0; round < options.Rounds; round++)
    {
        RunResult ra, rb;
        if (round % 2 == 0) { ra = await Runner.RunAsync(a, writers, slice, probeA, ct); rb = await Runner.RunAsync(b, writers, slice, probeB, ct); }
        else { rb = await Runner.RunAsync(b, writers, slice, probeB, ct); ra = await Runner.RunAsync(a, writers, slice, probeA, ct); }
        aRuns.Add(ra);
        bRuns.Add(rb);
        ratios.Add(rb.OpsPerSecond / ra.OpsPerSecond);
        Log($"  round {round + 1}: {nameA} {ra.OpsPerSecond:0} ops/s, {nameB} {rb.OpsPerSecond:0} ops/s, ratio {ratios[^1]:0.00}");
    }
    var row = new Comparison(title, writers, SideStats.From(aRuns), SideStats.From(bRuns), ratios, target);
    Log($"  => ratio {row.Ratio:0.00}; {nameA} p50/p99 {row.Raw.P50Ms:0.00}/{row.Raw.P99Ms:0.00} ms, {nameB} {row.Store!.P50Ms:0.00}/{row.Store.P99Ms:0.00} ms; " +
        $"CPU µs/op client+server {nameA} {row.Raw.ClientCpuUs:0}+{row.Raw.ServerCpuUs:0}, {nameB} {row.Store.ClientCpuUs:0}+{row.Store.ServerCpuUs:0}");
    return row;
}

// Each lever: the same scenario on two GovEvents stores that differ in one thing, interleaved.
async Task<(List<LeverRow> Rows, DocumentCheck? Snapshots)> LeversAsync()
{
    static Func<NpgsqlDataSource, string, CancellationToken, Task> DropTamperEvidence() => async (ds, schema, token) =>
    {
        await using var cmd = ds.CreateCommand($"""
            drop trigger ge_events_hash on {schema}.mt_events;
            drop trigger ge_events_append_only on {schema}.mt_events;
            drop trigger ge_event_hashes_append_only on {schema}.ge_event_hashes;
            """);
        await cmd.ExecuteNonQueryAsync(token);
    };
    var w = options.LeverWriters;
    var result = new List<LeverRow>();

    // No quick-append lever since the chain guard (issue 9): Marten's quick append inserts a stream's events
    // before it advances the stream row, which the hash trigger refuses (an event beyond its stream's version).
    Log("lever stores: without tamper evidence, without headers, without any metadata column, inline snapshot");
    // Its own application name: it is a lever and, for the metadata levers, the baseline, and each side needs its own CPU probe.
    var plain = await db.StoreAsync("without tamper evidence", "bench_plain", BenchDatabase.LeverBaseApplication, ct, afterMigration: DropTamperEvidence());
    var plainProbe = new CpuProbe(db.ConnectionString, BenchDatabase.LeverBaseApplication);
    var noHeaders = await db.StoreAsync("without tamper evidence, headers off", "bench_noheaders", BenchDatabase.LeverApplication, ct,
        o => o.Events.MetadataConfig.HeadersEnabled = false, DropTamperEvidence());
    var noMeta = await db.StoreAsync("without tamper evidence, correlation, causation and headers off", "bench_nometa", BenchDatabase.LeverApplication, ct,
        o =>
        {
            o.Events.MetadataConfig.HeadersEnabled = false;
            o.Events.MetadataConfig.CorrelationIdEnabled = false;
            o.Events.MetadataConfig.CausationIdEnabled = false;
        }, DropTamperEvidence());
    var snapshot = await db.StoreAsync("inline snapshot", "bench_snapshot", BenchDatabase.LeverApplication, ct, o =>
    {
        CaseSnapshotProjection.Document(o);
        o.Projections.Add(new CaseSnapshotProjection(), ProjectionLifecycle.Inline);
    });
    var snapshotPool = await AggregateStream.SeedAsync(snapshot.Log, ct);

    async Task Lever(string lever, string meaning, string title, BenchStore baseline, ISide baseSide, BenchStore other, ISide otherSide)
    {
        var row = await CompareAsync($"{title} — lever: {lever}", baseSide, otherSide, w, baseline == plain ? plainProbe : storeProbe,
            other == plain ? plainProbe : leverProbe, double.NaN, baseline.Name, other.Name);
        result.Add(new LeverRow(lever, meaning, title, baseline.Name, other.Name, row));
    }

    {
        await Lever("tamper evidence off", "Marten's own append: the hash trigger and append-only triggers dropped (GovEvents ÷ this = what tamper evidence leaves)",
            AppendExpected.Title, store, new AppendExpected.Store(store.Log), plain, new AppendExpected.Store(plain.Log));
        await Lever("tamper evidence off", "same, starting streams", StartStream.Title, store, new StartStream.Store(store.Log), plain, new StartStream.Store(plain.Log));
        await Lever("headers column off", "against the store without tamper evidence: what the headers jsonb (actor, role, department, window) costs",
            AppendExpected.Title, plain, new AppendExpected.Store(plain.Log), noHeaders, new AppendExpected.Store(noHeaders.Log));
        await Lever("all metadata columns off", "against the store without tamper evidence: correlation_id, causation_id and headers all off",
            AppendExpected.Title, plain, new AppendExpected.Store(plain.Log), noMeta, new AppendExpected.Store(noMeta.Log));
        await Lever("inline snapshot", "commands load one document (LoadAsync) instead of fetching and folding 20 events",
            AggregateStream.Title, store, new AggregateStream.Store(store.Log, storePool), snapshot, new AggregateStream.Snapshot(snapshot, snapshotPool));
        await Lever("inline snapshot", "what keeping the snapshot inline costs every append (the document upserted in the append's transaction)",
            AppendExpected.Title, store, new AppendExpected.Store(store.Log), snapshot, new AppendExpected.Store(snapshot.Log));
    }
    // The inline snapshots the appends kept, whole, against the fold of each stream's events up to its version.
    var streamVersions = new Dictionary<string, CaseSnapshot>();
    await using (var cmd = db.Raw.CreateCommand($"select id, version from {snapshot.Schema}.mt_streams"))
    await using (var r = await cmd.ExecuteReaderAsync(ct))
        while (await r.ReadAsync(ct))
            streamVersions[r.GetString(0)] = CaseSnapshot.Expected(r.GetString(0), Shared.Seed(r.GetString(0)), (int)r.GetInt64(1));
    var snapshots = await DocumentCheck.RunAsync(db.Raw, $"{snapshot.Schema}.mt_doc_{CaseSnapshotProjection.ProjectionName}", streamVersions, null, ct);
    Log($"inline snapshots: {snapshots}");
    return (result, snapshots);
}

async Task<HttpResult> HttpAsync()
{
    Log($"HTTP: starting the API (schema {ApiHost.Schema}) on Kestrel, seeding the hall through HTTP");
    await using var api = await ApiHost.StartAsync(db.ConnectionString, ct);
    await api.SeedHallAsync(ct);
    var path = await CommandPath.CreateAsync(api, ct);
    var raw = new AppendExpected.Raw(db.Raw, options.RawPrepared);
    var clients = options.HttpClients;
    var peak = await CompareAsync($"HTTP command path, {clients} clients (against raw append)", raw, path, clients, rawProbe, apiProbe, 0.5,
        "raw append", "HTTP", api.DataSources);

    var rate = peak.Store!.OpsPerSecond / 2;
    var interval = TimeSpan.FromSeconds(clients / rate);
    db.ClearPools(api.DataSources);
    Log($"HTTP at half the peak: {rate:0} commands/s ({clients} clients, one command every {interval.TotalMilliseconds:0} ms each), {options.Seconds}s");
    await Runner.RunAsync(path, clients, options.Warmup, null, ct, interval);
    var half = SideStats.From([await Runner.RunAsync(path, clients, TimeSpan.FromSeconds(options.Seconds), apiProbe, ct, interval)]);
    Log($"  => {half.OpsPerSecond:0} commands/s, p50 {half.P50Ms:0.0} ms, p95 {half.P95Ms:0.0} ms, p99 {half.P99Ms:0.0} ms");
    return new HttpResult(clients, peak, rate, half, CommandPath.CasesDelivered);
}

async Task<RebuildComparison?> RebuildAsync()
{
    // A schema of its own, so the projection folds exactly the seeded events and nothing the other scenarios wrote.
    const string schema = "bench_rebuild";
    var variants = RebuildVariant.All(options.RebuildPage).Where(v => options.RebuildVariants is null || options.RebuildVariants.Contains(v.Name)).ToList();
    var stores = new List<(RebuildVariant Variant, BenchStore Store)>();
    foreach (var v in variants)
        stores.Add((v, await db.StoreAsync($"rebuild {v.Name}", schema, BenchDatabase.StoreApplication, ct, v.Apply)));

    var seedClock = Stopwatch.StartNew();
    Log($"rebuild: seeding {options.RebuildEvents:N0} events through EventLog (tamper evidence included)");
    await RebuildSeed.SeedAsync(stores[0].Store.Log, options.RebuildEvents, ct);
    await using (var vacuum = db.Raw.CreateCommand($"vacuum analyze {schema}.mt_events"))
        await vacuum.ExecuteNonQueryAsync(ct);
    var streams = options.RebuildEvents / RebuildSeed.EventsPerStream;
    var events = (long)streams * RebuildSeed.EventsPerStream;
    var seedRate = events / seedClock.Elapsed.TotalSeconds;
    Log($"rebuild: seeded in {seedClock.Elapsed.TotalSeconds:0.0}s ({seedRate:0} events/s through EventLog)");

    var rawLoop = new RawRebuild(db.Raw, $"{schema}.mt_events", options.RebuildPage, options.RawPrepared);
    db.ClearPools();
    await rawLoop.RunAsync(ct); // warm-up
    var result = new List<RebuildRow>();
    var expected = RebuildSeed.Expected(streams);
    foreach (var (variant, s) in stores)
    {
        db.ClearPools();
        var rawRates = new List<double>();
        var storeRates = new List<double>();
        var ratios = new List<double>();
        string? error = null;
        for (var round = 0; round < options.RebuildRounds && error is null; round++)
        {
            async Task<double> Raw()
            {
                var c = Stopwatch.StartNew();
                var n = await rawLoop.RunAsync(ct);
                if (n != events) throw new InvalidOperationException($"raw rebuild processed {n} of {events} events");
                return n / c.Elapsed.TotalSeconds;
            }
            async Task<double?> Store()
            {
                try { return events / (await StoreRebuild.RunAsync(s, ct)).TotalSeconds; }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    error = ex.GetType().Name + ": " + ex.Message.Split('\n')[0];
                    Log($"  rebuild {variant.Name} failed: {error}");
                    return null;
                }
            }
            double r; double? st;
            if (round % 2 == 0) { r = await Raw(); st = await Store(); }
            else { st = await Store(); r = await Raw(); }
            rawRates.Add(r);
            if (st is { } rate) { storeRates.Add(rate); ratios.Add(rate / r); }
            Log($"  rebuild {variant.Name} round {round + 1}: raw {r:0} events/s, daemon {(st is null ? "failed" : $"{st:0} events/s, ratio {st / r:0.00}")}");
        }
        // Every configuration's documents, whole, against the fold of the seeded events (and the raw loop's, which ran last or just before).
        DocumentCheck? documents = null;
        if (error is null)
        {
            documents = await DocumentCheck.RunAsync(db.Raw, $"{schema}.mt_doc_{CaseSnapshotProjection.ProjectionName}", expected, RawRebuild.DocsTable, ct);
            Log($"  rebuild {variant.Name} documents: {documents}");
        }
        result.Add(new RebuildRow(variant, rawRates, storeRates, ratios, error, documents));
    }
    return new RebuildComparison(events, streams, options.RebuildPage, seedRate, result);
}

static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
