using System.Diagnostics;
using GovEvents.EventStore;
#if GOVEVENTS_DAEMON
using GovEvents.Bench.Workload;
#endif

namespace GovEvents.Bench.Rebuild;

/// <summary>
/// The store side of the rebuild comparison: <c>ProjectionDaemon.RebuildAsync</c> of one
/// single-stream document projection (<c>case_summary</c>, folded by <c>CaseSummary.Evolve</c>,
/// the same fold as the raw loop).
/// </summary>
public static class StoreRebuild
{
    public const string ProjectionName = "case_summary";

    /// <summary>False until the daemon is merged; the report then shows a "pending daemon" row.</summary>
#if GOVEVENTS_DAEMON
    public const bool Available = true;
#else
    public const bool Available = false;
#endif

    /// <summary>Rebuilds the projection over every event in the store; the time it took, or null while pending.</summary>
    public static async Task<TimeSpan?> RunAsync(PgEventStore store, CancellationToken ct)
    {
#if GOVEVENTS_DAEMON
        var projection = new CaseSummaryProjection();
        await using var daemon = new ProjectionDaemon(store, [projection]);
        var clock = Stopwatch.StartNew();
        await daemon.RebuildAsync(projection.Name, ct);
        return clock.Elapsed;
#else
        // TODO(lead): after merging the ProjectionDaemon, set <DaemonMerged>true</DaemonMerged> in
        // bench/Bench.csproj. That compiles the block above, which is:
        //     var projection = new CaseSummaryProjection();
        //     await using var daemon = new ProjectionDaemon(store, [projection]);
        //     var clock = Stopwatch.StartNew();
        //     await daemon.RebuildAsync(projection.Name, ct);
        //     return clock.Elapsed;
        // and CaseSummaryProjection.cs. Align RawRebuild's page size (--rebuild-page) with the
        // daemon's batch size so both sides read pages of the same size.
        _ = store;
        await Task.CompletedTask;
        _ = Stopwatch.Frequency;
        return null;
#endif
    }
}
