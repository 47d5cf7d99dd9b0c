using System.Globalization;
using System.Text;
using GovEvents.Bench.Measure;
using GovEvents.Bench.Rebuild;

namespace GovEvents.Bench;

/// <summary>The machine and the run, for the method paragraph.</summary>
public sealed record RunInfo(
    DateTimeOffset Started, TimeSpan Duration, BenchOptions Options, string PgVersion, string PgSettings,
    (double Median, double Max)? Load, int PayloadBytesSubmitted, double PayloadBytesAverage, int MetadataBytes);

/// <summary>Writes the results as markdown: one table for writes and reads, one for the rebuild, then the method.</summary>
public static class Report
{
    // Issue 2: Marten 9.29 against the same raw baselines, interleaved, 16 writers, on this kind of machine.
    private static readonly Dictionary<string, string> Marten = new()
    {
        [Scenarios.StartStream.Title] = "0.66",
        [Scenarios.AppendExpected.Title] = "0.49",
        [Scenarios.AggregateStream.Title] = "0.56",
    };

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Markdown(IReadOnlyList<Comparison> rows, RebuildComparison? rebuild, RunInfo info)
    {
        var o = info.Options;
        var sb = new StringBuilder();
        sb.AppendLine("# Event store benchmark: GovEvents store against raw Npgsql");
        sb.AppendLine();
        sb.AppendLine($"Run {info.Started:yyyy-MM-dd HH:mm zzz}, {(o.Quick ? "**quick mode (smoke run; numbers are indicative only)**" : "full mode")}, " +
                      $"{o.Seconds.ToString(Inv)} s per side per row in {o.Rounds} interleaved round(s), total run {info.Duration.TotalMinutes:0.0} min.");
        sb.AppendLine();
        foreach (var e in o.Experiments)
            sb.AppendLine($"> **Experiment `{e}` applied to the benchmark database** (not in the store's migrations): {Experiments.All[e].Description}.").AppendLine();
        sb.AppendLine("| scenario | writers | raw ops/s | raw p50 ms | raw p99 ms | store ops/s | store p50 ms | store p99 ms | store/raw (median of rounds) | rounds min–max | target | met | Marten 9.29 ratio (ref) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:-:|---:|");
        foreach (var r in rows)
        {
            var s = r.Store!;
            var gated = r.Writers >= 16;
            sb.AppendLine($"| {r.Scenario} | {r.Writers} | {r.Raw.OpsPerSecond:0} | {Ms(r.Raw.P50Ms)} | {Ms(r.Raw.P99Ms)} | {s.OpsPerSecond:0} | {Ms(s.P50Ms)} | {Ms(s.P99Ms)} | " +
                          $"**{r.Ratio:0.00}** | {r.RoundRatios.Min():0.00}–{r.RoundRatios.Max():0.00} | {(gated ? $"≥ {r.Target:0.0}" : "–")} | " +
                          $"{(gated ? (r.Ratio >= r.Target ? "yes" : "**no**") : "–")} | {(gated ? Marten.GetValueOrDefault(r.Scenario, "–") : "–")} |");
        }
        sb.AppendLine();
        sb.AppendLine("CPU per operation, from the bench process and from the server backends of each side's pool (/proc; less disturbed by other load than ops/s):");
        sb.AppendLine();
        sb.AppendLine("| scenario | writers | raw client µs | raw server µs | store client µs | store server µs | raw CPU ÷ store CPU |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            var s = r.Store!;
            var rawTotal = r.Raw.ClientCpuUs + r.Raw.ServerCpuUs;
            var storeTotal = s.ClientCpuUs + s.ServerCpuUs;
            sb.AppendLine($"| {r.Scenario} | {r.Writers} | {Us(r.Raw.ClientCpuUs)} | {Us(r.Raw.ServerCpuUs)} | {Us(s.ClientCpuUs)} | {Us(s.ServerCpuUs)} | " +
                          $"{(rawTotal is { } a && storeTotal is { } b ? (a / b).ToString("0.00", Inv) : "n/a")} |");
        }
        sb.AppendLine();
        if (rebuild is not null) AppendRebuild(sb, rebuild);
        AppendMethod(sb, info);
        return sb.ToString();
    }

    private static void AppendRebuild(StringBuilder sb, RebuildComparison rebuild)
    {
        sb.AppendLine($"Rebuild of one single-stream document projection over {rebuild.Events:N0} events in {rebuild.Streams:N0} streams (page {rebuild.PageSize}):");
        sb.AppendLine();
        sb.AppendLine("| rebuild | raw events/s | store (daemon) events/s | store/raw (median of rounds) | rounds min–max | target | met | Marten 9.29 (ref) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|:-:|---:|");
        if (rebuild.Ratio is { } ratio)
            sb.AppendLine($"| case_summary | {rebuild.RawMedian:0} | {rebuild.StoreMedian:0} | **{ratio:0.00}** | {rebuild.RoundRatios.Min():0.00}–{rebuild.RoundRatios.Max():0.00} | ≥ {RebuildComparison.Target:0.0} | " +
                          $"{(ratio >= RebuildComparison.Target ? "yes" : "**no**")} | 0.35–0.6 (50–78 k/s vs 125–175 k/s raw) |");
        else
            sb.AppendLine($"| case_summary | {rebuild.RawMedian:0} | pending daemon | – | – | ≥ {RebuildComparison.Target:0.0} | – | 0.35–0.6 (50–78 k/s vs 125–175 k/s raw) |");
        if (rebuild.DocumentsCheck is not null) sb.AppendLine().AppendLine($"Documents: {rebuild.DocumentsCheck}.");
        sb.AppendLine();
    }

    private static void AppendMethod(StringBuilder sb, RunInfo info)
    {
        var o = info.Options;
        sb.AppendLine("## Method");
        sb.AppendLine();
        sb.AppendLine($"One process, one run (`dotnet run -c Release --project bench{(o.Quick ? " -- --quick" : "")}`), against a database `govevents_bench` " +
                      "created for the run (dropped and re-created, migrated by `SchemaMigrator`, dropped at the end). " +
                      "The raw baselines write to `bench_raw.streams/events`, tables of the store's exact shape (columns, primary and unique keys, " +
                      "foreign key, `(tx_id, seq)` index) without the append function and hash chain, through plain Npgsql on a separate pool of the same size " +
                      $"({BenchDatabase.PoolSize} connections); the store uses its own pool. Payload: licensing-case events " +
                      $"(\"application submitted\": {info.PayloadBytesSubmitted} bytes of JSON with matter code, applicant name, id number, phone, channel, " +
                      $"materials list and time; the 20-event streams average {info.PayloadBytesAverage:0} bytes), plus {info.MetadataBytes} bytes of metadata, " +
                      "serialized with Newtonsoft.Json and the same settings on both sides. " +
                      (o.RawPrepared
                          ? "Both sides prepare their statements (the store does so itself; the raw side calls `PrepareAsync`, which Npgsql keeps per physical connection)."
                          : "**The raw side does not prepare its statements in this run (`--raw-unprepared`)**; the store prepares its own."));
        sb.AppendLine();
        sb.AppendLine("- *start stream*: raw = one batch (one implicit transaction, one round trip) inserting the stream row and the event row; " +
                      "store = `StartStreamAsync` (the `append_events` function: lock/check, stream row, event with SHA-256 chain, head update).");
        sb.AppendLine($"- *append, expected version*: each writer owns {Scenarios.AppendExpected.StreamsPerWriter} streams in turn; raw = one statement " +
                      "`with s as (update streams set version = version + 1 … where id = $1 and version = $2 returning version) insert into events … select … from s`; " +
                      "store = `AppendAsync(id, type, ExpectedVersion.At(v), [event])`.");
        sb.AppendLine($"- *aggregate*: a random stream of {Scenarios.AggregateStream.PoolStreams} with 20 events each; raw = `select type, data … order by version`, " +
                      "Newtonsoft.Json deserialization by alias, fold; store = `AggregateStreamAsync` with the same fold.");
        sb.AppendLine("- *rebuild*: events seeded through the store into a schema of their own, in cohorts of 1,000 cases advancing one event at a time " +
                      "(as cases interleave in a service centre's feed), 100 streams per append transaction; so a page of 1,000 events touches ~1,000 documents. " +
                      "Raw = keyset pages by `seq` over that events table, deserialize, load the page's current documents, fold, one `unnest` upsert per page " +
                      "into `bench_raw.case_docs(id, data, last_seq)`, one transaction per page; store = `ProjectionDaemon.RebuildAsync` of a `DocumentProjection` " +
                      "with the same fold. Absolute events/s are therefore not comparable with Marten's figures (a stream-by-stream layout touches ~50 documents per page); the ratio is.");
        sb.AppendLine("- Each row: a warm-up of both sides, then rounds alternating raw→store and store→raw, so that load from other processes hits both; " +
                      "ops/s and latency percentiles pool all rounds of a side, the ratio is the median of the per-round store/raw ratios. " +
                      "Targets apply at 16 writers (issue 2): every ratio ≥ 0.8, rebuild ≥ 0.7.");
        sb.AppendLine();
        var load = info.Load is { } l ? $"1-minute load average during the run: median {l.Median:0.0}, max {l.Max:0.0}" : "load average not available";
        sb.AppendLine($"Machine: {Environment.ProcessorCount} CPUs ({CpuModel()}), {MemoryGb()} GB RAM, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, " +
                      $".NET {Environment.Version}, Npgsql {typeof(Npgsql.NpgsqlConnection).Assembly.GetName().Version}; PostgreSQL {info.PgVersion} on the same machine " +
                      $"({info.PgSettings}). {load}.");
        if (info.Load is { } busy && busy.Median > Environment.ProcessorCount)
            sb.AppendLine().AppendLine($"**Noisy run:** the machine was shared with other work (load {busy.Median:0.0} on {Environment.ProcessorCount} CPUs), " +
                                       "so absolute ops/s and latencies are depressed and vary between rounds; the interleaved ratios and the CPU per operation are the figures to compare.");
        sb.AppendLine();
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
