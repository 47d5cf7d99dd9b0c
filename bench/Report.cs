using System.Globalization;
using System.Text;
using GovEvents.Bench.Measure;
using GovEvents.Bench.Rebuild;

namespace GovEvents.Bench;

/// <summary>The machine and the run, for the method paragraph.</summary>
public sealed record RunInfo(
    DateTimeOffset Started, TimeSpan Duration, BenchOptions Options, string PgVersion, string PgSettings,
    (double Median, double Max, double AtStart)? Load, int PayloadBytesSubmitted, double PayloadBytesAverage, int MetadataBytes);

/// <summary>Writes the results as markdown: writes and reads, levers, the HTTP command path, the rebuild, then the method.</summary>
public static class Report
{
    // Issue 2 on the same kind of machine, 16 writers: the home-made store (bench/results/event-store.md, 2026-12-07)
    // and Marten 9.29 as then configured, against the same raw baselines.
    private static readonly Dictionary<string, (string HomeMade, string Marten929)> Reference = new()
    {
        [Scenarios.StartStream.Title] = ("0.89", "0.66"),
        [Scenarios.AppendExpected.Title] = ("0.83", "0.49"),
        [Scenarios.AggregateStream.Title] = ("0.93", "0.56"),
    };

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Markdown(IReadOnlyList<Comparison> rows, IReadOnlyList<LeverRow> levers, Stores.DocumentCheck? snapshots, HttpResult? http,
        RebuildComparison? rebuild, RunInfo info)
    {
        var o = info.Options;
        var sb = new StringBuilder();
        sb.AppendLine("# Critter-stack benchmark: GovEvents on Marten against raw Npgsql");
        sb.AppendLine();
        sb.AppendLine($"Run {info.Started:yyyy-MM-dd HH:mm zzz}, {(o.Quick ? "**quick mode (smoke run; numbers are indicative only)**" : "full mode")}, " +
                      $"{o.Seconds.ToString(Inv)} s per side per row in {o.Rounds} interleaved round(s), total run {info.Duration.TotalMinutes:0.0} min; " +
                      $"Marten {typeof(Marten.DocumentStore).Assembly.GetName().Version}. {LoadSentence(info)}.");
        sb.AppendLine();
        foreach (var e in o.Experiments)
            sb.AppendLine($"> **Experiment `{e}` applied to the benchmark database** (not in the store's migrations): {Experiments.All[e].Description}.").AppendLine();
        if (rows.Count > 0) AppendRows(sb, rows);
        if (levers.Count > 0) AppendLevers(sb, levers, snapshots);
        if (http is not null) AppendHttp(sb, http);
        if (rebuild is not null) AppendRebuild(sb, rebuild);
        AppendMethod(sb, info);
        return sb.ToString();
    }

    private static void AppendRows(StringBuilder sb, IReadOnlyList<Comparison> rows)
    {
        sb.AppendLine("## Store against raw");
        sb.AppendLine();
        sb.AppendLine("| scenario | writers | raw ops/s | raw p50 ms | raw p99 ms | store ops/s | store p50 ms | store p99 ms | store/raw (median of rounds) | rounds min–max | target | met | home-made store (ref) | Marten 9.29 (ref) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:-:|---:|---:|");
        foreach (var r in rows)
        {
            var s = r.Store!;
            var gated = r.Writers >= 16;
            var reference = Reference.GetValueOrDefault(r.Scenario, ("–", "–"));
            sb.AppendLine($"| {r.Scenario} | {r.Writers} | {r.Raw.OpsPerSecond:0} | {Ms(r.Raw.P50Ms)} | {Ms(r.Raw.P99Ms)} | {s.OpsPerSecond:0} | {Ms(s.P50Ms)} | {Ms(s.P99Ms)} | " +
                          $"**{r.Ratio:0.00}** | {r.RoundRatios.Min():0.00}–{r.RoundRatios.Max():0.00} | {(gated ? $"≥ {r.Target:0.0}" : "–")} | " +
                          $"{(gated ? (r.Ratio >= r.Target ? "yes" : "**no**") : "–")} | {(gated ? reference.Item1 : "–")} | {(gated ? reference.Item2 : "–")} |");
        }
        sb.AppendLine();
        sb.AppendLine("CPU per operation, from the bench process and from the server backends of each side's pool (/proc; less disturbed by other load than ops/s):");
        sb.AppendLine();
        sb.AppendLine("| scenario | writers | raw client µs | raw server µs | store client µs | store server µs | raw CPU ÷ store CPU |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows) sb.AppendLine($"| {r.Scenario} | {r.Writers} | {CpuCells(r)} |");
        sb.AppendLine();
    }

    private static void AppendLevers(StringBuilder sb, IReadOnlyList<LeverRow> levers, Stores.DocumentCheck? snapshots)
    {
        sb.AppendLine($"## Levers ({levers[0].Row.Writers} writers)");
        sb.AppendLine();
        sb.AppendLine("Each lever runs the same scenario on two GovEvents stores that differ in one thing, interleaved like the raw rows; " +
                      "the ratio is lever ÷ baseline (above 1: the lever is faster).");
        sb.AppendLine();
        sb.AppendLine("| lever | scenario | baseline | baseline ops/s | lever ops/s | lever/baseline (median) | rounds min–max | baseline p99 ms | lever p99 ms | CPU µs/op baseline (client+server) | lever (client+server) | what it means |");
        sb.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var l in levers)
        {
            var r = l.Row;
            sb.AppendLine($"| {l.Lever} | {l.Scenario} | {l.Baseline} | {r.Raw.OpsPerSecond:0} | {r.Store!.OpsPerSecond:0} | **{r.Ratio:0.00}** | " +
                          $"{r.RoundRatios.Min():0.00}–{r.RoundRatios.Max():0.00} | {Ms(r.Raw.P99Ms)} | {Ms(r.Store.P99Ms)} | " +
                          $"{Us(r.Raw.ClientCpuUs)}+{Us(r.Raw.ServerCpuUs)} | {Us(r.Store.ClientCpuUs)}+{Us(r.Store.ServerCpuUs)} | {l.Meaning} |");
        }
        sb.AppendLine();
        var tamper = levers.FirstOrDefault(l => l.Lever == "tamper evidence off" && l.Scenario == Scenarios.AppendExpected.Title);
        if (tamper?.Row.Ratio is { } t)
        {
            var cost = 1 - 1 / t;
            var cpu = tamper.Row.Raw.ServerCpuUs - tamper.Row.Store!.ServerCpuUs;
            sb.AppendLine($"Tamper evidence on top of Marten's own append: GovEvents appends at {1 / t:0.00} × the rate without it, a cost of **{cost:P0}** " +
                          $"(target ≤ 10 %: {(cost <= 0.10 ? "met" : "**not met**")}); server CPU {(cpu is { } c ? $"{c:+0;-0} µs" : "n/a")} per append.");
            sb.AppendLine();
        }
        if (snapshots is not null)
        {
            sb.AppendLine($"Inline snapshots: every load of the aggregate row is checked whole against the fold of the seeded events; after the append row, {snapshots}.");
            sb.AppendLine();
        }
    }

    private static void AppendHttp(StringBuilder sb, HttpResult h)
    {
        var p = h.Peak;
        var s = p.Store!;
        sb.AppendLine($"## HTTP command path ({h.Clients} clients)");
        sb.AppendLine();
        sb.AppendLine("Submit → acceptance → three signatures → licence → delivery through the real API on Kestrel (loopback), " +
                      $"{CommandPathText}; against raw appends with an expected version ({p.Writers} writers), interleaved. {h.CasesDelivered:N0} cases delivered in the run.");
        sb.AppendLine();
        sb.AppendLine("| run | raw append tx/s | HTTP commands/s | HTTP/raw (median of rounds) | rounds min–max | p50 ms | p95 ms | p99 ms | target | met |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|:-:|");
        sb.AppendLine($"| peak (closed loop) | {p.Raw.OpsPerSecond:0} | {s.OpsPerSecond:0} | **{p.Ratio:0.00}** | {p.RoundRatios.Min():0.00}–{p.RoundRatios.Max():0.00} | " +
                      $"{Ms(s.P50Ms)} | {Ms(s.P95Ms)} | {Ms(s.P99Ms)} | ≥ {HttpResult.TargetRatio:0.0} × raw | {(p.Ratio >= HttpResult.TargetRatio ? "yes" : "**no**")} |");
        sb.AppendLine($"| half the peak (paced, {h.HalfRate:0}/s offered) | – | {h.Half.OpsPerSecond:0} | – | – | {Ms(h.Half.P50Ms)} | {Ms(h.Half.P95Ms)} | **{Ms(h.Half.P99Ms)}** | " +
                      $"p99 ≤ {HttpResult.TargetP99Ms:0} ms | {(h.Half.P99Ms <= HttpResult.TargetP99Ms ? "yes" : "**no**")} |");
        sb.AppendLine();
        sb.AppendLine($"CPU per command: whole bench process (API + HTTP clients) {Us(s.ClientCpuUs)} µs, the API's PostgreSQL backends {Us(s.ServerCpuUs)} µs " +
                      $"(raw append: {Us(p.Raw.ClientCpuUs)} + {Us(p.Raw.ServerCpuUs)} µs); at half the peak {Us(h.Half.ClientCpuUs)} + {Us(h.Half.ServerCpuUs)} µs.");
        sb.AppendLine();
    }

    private const string CommandPathText =
        "7 commands and 9 events per case, each command one request (JWT, the case stream folded, the decider, the append with its expected version " +
        "and hash chain, the JSON answer); the async daemon (case views) runs in the same process";

    private static void AppendRebuild(StringBuilder sb, RebuildComparison rebuild)
    {
        sb.AppendLine($"## Rebuild: one single-stream projection over {rebuild.Events:N0} events in {rebuild.Streams:N0} streams");
        sb.AppendLine();
        sb.AppendLine($"Seeded through EventLog at {rebuild.SeedEventsPerSecond:0} events/s (100 streams per transaction, tamper evidence included). " +
                      $"Raw loop page: {rebuild.PageSize}. The first row is GovEvents' configuration (`AsyncProjections.Paging`, as the case and complaint views are registered); the others are levers.");
        sb.AppendLine();
        sb.AppendLine("| daemon configuration | raw events/s | daemon events/s | daemon/raw (median of rounds) | rounds min–max | target | met | documents (whole) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|:-:|---|");
        foreach (var r in rebuild.Rows)
        {
            var docs = r.Documents?.Cell ?? "–";
            if (r.Ratio is { } ratio)
                sb.AppendLine($"| {r.Variant.Description} | {r.RawMedian:0} | {r.StoreMedian:0} | **{ratio:0.00}** | {r.RoundRatios.Min():0.00}–{r.RoundRatios.Max():0.00} | " +
                              $"≥ {RebuildComparison.Target:0.0} | {(ratio >= RebuildComparison.Target ? "yes" : "**no**")} | {docs} |");
            else
                sb.AppendLine($"| {r.Variant.Description} | {r.RawMedian:0} | failed: {r.Error} | – | – | ≥ {RebuildComparison.Target:0.0} | – | {docs} |");
        }
        sb.AppendLine();
        sb.AppendLine("Documents: after each configuration, the daemon's documents are compared whole (jsonb equality of `id`, `version` and every field of `state`) " +
                      "with the fold of each stream's seeded events, and the raw loop's documents with the same states.");
        foreach (var r in rebuild.Rows.Where(r => r.Documents is { Passed: false }))
            sb.AppendLine().AppendLine($"- {r.Variant.Name}: {r.Documents}.");
        sb.AppendLine();
    }

    private static void AppendMethod(StringBuilder sb, RunInfo info)
    {
        var o = info.Options;
        sb.AppendLine("## Method");
        sb.AppendLine();
        sb.AppendLine($"One process, one run (`dotnet run -c Release --project bench{(o.Quick ? " -- --quick" : "")}`), against a database `govevents_bench` " +
                      "created for the run and dropped at the end. GovEvents' stores are Marten `DocumentStore`s configured by `StoreConfiguration.Apply` " +
                      "(Rich append, Newtonsoft serializer, explicit event names, correlation/causation/headers, tamper evidence: the AFTER INSERT row trigger " +
                      "writing the SHA-256 chain into `ge_event_hashes`, append-only triggers), each in its own schema created by Marten's migrations, each on its own " +
                      $"Npgsql pool ({BenchDatabase.PoolSize} connections), used through `EventLog` as the API uses it. " +
                      "The raw baselines write plain Npgsql to `bench_raw.streams/events`, the home-made store's tables without functions or triggers, on a separate pool " +
                      "of the same size (unchanged from bench/results/event-store.md, so its raw figures compare). Payload: licensing-case events " +
                      $"(\"application submitted\": {info.PayloadBytesSubmitted} bytes of JSON; the 20-event streams average {info.PayloadBytesAverage:0} bytes), " +
                      $"plus the caller's metadata ({info.MetadataBytes} bytes as JSON on the raw side; correlation id and headers on Marten's), serialized by GovEvents' " +
                      "Newtonsoft serializer on both sides. " +
                      (o.RawPrepared
                          ? "The raw side prepares its statements (`PrepareAsync`, kept per physical connection); Marten does not prepare its own."
                          : "**The raw side does not prepare its statements in this run (`--raw-unprepared`)**."));
        sb.AppendLine();
        sb.AppendLine("- Every row (and every rebuild configuration) starts with all connection pools emptied (`NpgsqlDataSource.Clear` on every data source, " +
                      "`NpgsqlConnection.ClearAllPools`), so that no row inherits the idle connections of the one before it.");
        sb.AppendLine("- *start stream*: raw = one batch inserting the stream row and the event row; store = `EventLog.StartStreamAsync` " +
                      "(lightweight session, `StartStream`, `SaveChangesAsync`).");
        sb.AppendLine($"- *append, expected version*: each writer owns {Scenarios.AppendExpected.StreamsPerWriter} streams in turn; raw = one statement " +
                      "`with s as (update streams set version = version + 1 … where id = $1 and version = $2 returning version) insert into events … select … from s`; " +
                      "store = `EventLog.AppendAsync(id, ExpectedVersion.At(v), [event])`, as a command appends.");
        sb.AppendLine($"- *aggregate*: a random stream of {Scenarios.AggregateStream.PoolStreams} with 20 events each; raw = `select type, data … order by version`, " +
                      "deserialize, fold; store = `EventLog.AggregateStreamAsync` with the same fold, as the command pipeline (`StreamCommandHandler`) loads a stream: fetch its events, fold.");
        sb.AppendLine("- *levers*: a second GovEvents store in its own schema changed in one thing: tamper evidence off (its three triggers dropped after " +
                      "migration), metadata columns off (on the store without tamper evidence, whose hash function reads them), an inline " +
                      "snapshot projection (`SingleStreamProjection` of the same fold, `ProjectionLifecycle.Inline`) loaded with `LoadAsync`.");
        sb.AppendLine("- *HTTP*: the API host of src/Api (`AddGovEvents`/`UseGovEvents`) on Kestrel at 127.0.0.1, development mode, its own schema migrated at " +
                      "start-up, the dev clock set to Monday 2 March 2026 09:00, the hall (calendar, departments, window, staff, delegations, a three-tier matter) seeded " +
                      "through HTTP as its manager, tokens from `/api/dev/tokens`; HTTP/1.1 keep-alive clients in this process. Peak: closed loop, interleaved with raw " +
                      "appends at the same concurrency; the ratio compares commands/s with the raw baseline's transactions/s. Half the peak: the same clients paced " +
                      "to half the measured peak rate (open loop; a late command's latency counts from its scheduled start).");
        sb.AppendLine("- *rebuild*: events seeded through `EventLog` into a schema of their own, in cohorts of 1,000 cases advancing one event at a time " +
                      "(as cases interleave in a service centre's feed). Raw = keyset pages by `seq_id` over that `mt_events`, deserialize, load the page's current " +
                      "documents, fold, one `unnest` upsert per page into `bench_raw.case_docs`, one transaction per page; store = the daemon's " +
                      "`RebuildProjectionAsync` of a `SingleStreamProjection` with the same fold, one store per daemon configuration on the same events.");
        sb.AppendLine("- Rounds alternate A→B and B→A so that load from other processes hits both; ops/s and latency percentiles pool all rounds of a side, " +
                      "the ratio is the median of the per-round ratios. Targets (at 16 writers): start, append and aggregate ≥ 0.8 × raw; tamper evidence ≤ 10 % " +
                      "on Marten's own append; rebuild ≥ 0.5 × raw; HTTP command path ≥ 0.5 × raw, p99 ≤ 25 ms at half of the peak.");
        sb.AppendLine();
        sb.AppendLine($"Machine: {Environment.ProcessorCount} CPUs ({CpuModel()}), {MemoryGb()} GB RAM, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, " +
                      $".NET {Environment.Version}, Npgsql {typeof(Npgsql.NpgsqlConnection).Assembly.GetName().Version}; PostgreSQL {info.PgVersion} on the same machine " +
                      $"({info.PgSettings}). {LoadSentence(info)}.");
        if (info.Load is { } busy && busy.Median > Environment.ProcessorCount * 0.75)
            sb.AppendLine().AppendLine($"**Loaded machine:** load {busy.Median:0.0} on {Environment.ProcessorCount} CPUs, which counts the run's own writers, HTTP clients " +
                                       $"and PostgreSQL backends (at the start, before them: {busy.AtStart:0.0}; above that, other work shared the machine), so absolute ops/s and " +
                                       "latencies are depressed and vary between rounds; the interleaved ratios and the CPU per operation are the figures to compare.");
        sb.AppendLine();
    }

    private static string LoadSentence(RunInfo info) =>
        info.Load is { } l ? $"1-minute load average during the run (the run's own work included): median {l.Median:0.0}, max {l.Max:0.0}, at the start {l.AtStart:0.0}" : "load average not available";

    private static string CpuCells(Comparison r)
    {
        var s = r.Store!;
        var rawTotal = r.Raw.ClientCpuUs + r.Raw.ServerCpuUs;
        var storeTotal = s.ClientCpuUs + s.ServerCpuUs;
        return $"{Us(r.Raw.ClientCpuUs)} | {Us(r.Raw.ServerCpuUs)} | {Us(s.ClientCpuUs)} | {Us(s.ServerCpuUs)} | " +
               $"{(rawTotal is { } a && storeTotal is { } b ? (a / b).ToString("0.00", Inv) : "n/a")}";
    }

    private static string Us(double? us) => us is { } v ? v.ToString("0", Inv) : "n/a";

    private static string Ms(double ms) => ms.ToString(ms < 10 ? "0.00" : "0.0", Inv);

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : "unknown CPU";

    private static string MemoryGb()
    {
        if (!File.Exists("/proc/meminfo")) return "?";
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal", StringComparison.Ordinal));
        var kb = long.Parse(line.Split(':')[1].Trim().Split(' ')[0], Inv);
        return (kb / 1024.0 / 1024.0).ToString("0.0", Inv);
    }
}
