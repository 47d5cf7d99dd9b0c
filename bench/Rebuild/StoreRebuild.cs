using System.Diagnostics;
using GovEvents.Bench.Stores;
using JasperFx.Events.Projections;
using Marten;

namespace GovEvents.Bench.Rebuild;

/// <summary>One way of configuring the daemon's rebuild of <see cref="CaseSnapshotProjection"/>: a lever.</summary>
public sealed record RebuildVariant(string Name, string Description, int? BatchSize, int RebuildFlushThreshold, int CacheLimit, bool Optimized,
    bool AsGovEvents = false)
{
    /// <summary>The variants a run measures; the first is the one the ratio and the target are about.</summary>
    public static IReadOnlyList<RebuildVariant> All(int page) =>
    [
        new("govevents", "GovEvents' configuration (AsyncProjections.Paging: BatchSize 5000, RebuildFlushThreshold 10000)", null, 0, 0, false, AsGovEvents: true),
        new("default", "Marten's defaults", null, 0, 0, false),
        new("batch", $"BatchSize {page} (the raw loop's page), no flush threshold", page, 0, 0, false),
        new("cache", $"BatchSize {page}, CacheLimitPerTenant 20000 (aggregates cached across pages)", page, 0, 20_000, false),
        new("optimized", $"BatchSize {page}, UseOptimizedProjectionRebuilds (stream by stream)", page, 0, 0, true),
    ];

    public void Apply(StoreOptions opts)
    {
        CaseSnapshotProjection.Document(opts);
        opts.Events.UseOptimizedProjectionRebuilds = Optimized;
        opts.Projections.Add(new CaseSnapshotProjection(), ProjectionLifecycle.Async, asyncConfiguration: o =>
        {
            if (AsGovEvents)
            {
                GovEvents.Projections.AsyncProjections.Paging(o);
                return;
            }
            if (BatchSize is { } size) o.BatchSize = size;
            if (BatchSize is { } hopper) o.MaximumHopperSize = Math.Max(o.MaximumHopperSize, 2 * hopper);
            o.RebuildFlushThreshold = RebuildFlushThreshold;
            o.CacheLimitPerTenant = CacheLimit;
        });
    }
}

/// <summary>
/// The store side of the rebuild comparison: Marten's daemon, <c>RebuildProjectionAsync</c> of
/// <see cref="CaseSnapshotProjection"/> over every event of the rebuild schema.
/// </summary>
public static class StoreRebuild
{
    /// <summary>Rebuilds the projection; the time it took.</summary>
    public static async Task<TimeSpan> RunAsync(BenchStore store, CancellationToken ct)
    {
        using var daemon = await store.Store.BuildProjectionDaemonAsync();
        var clock = Stopwatch.StartNew();
        await daemon.RebuildProjectionAsync(CaseSnapshotProjection.ProjectionName, TimeSpan.FromMinutes(30), ct);
        return clock.Elapsed;
    }
}
