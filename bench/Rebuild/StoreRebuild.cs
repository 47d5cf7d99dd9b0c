using System.Diagnostics;
using GovEvents.EventStore;

namespace GovEvents.Bench.Rebuild;

/// <summary>
/// The store side of the rebuild comparison: <c>ProjectionDaemon.RebuildAsync</c> of one
/// single-stream document projection (<c>case_summary</c>, folded by <c>CaseSummary.Evolve</c>,
/// the same fold as the raw loop), reading pages of the same size as the raw loop.
/// </summary>
public static class StoreRebuild
{
    public const string ProjectionName = "case_summary";

    public const bool Available = true;

    /// <summary>Rebuilds the projection over every event in the store; the time it took.</summary>
    public static async Task<TimeSpan?> RunAsync(PgEventStore store, int pageSize, CancellationToken ct)
    {
        var projection = new CaseSummaryProjection();
        await using var daemon = new ProjectionDaemon(store, [projection], new ProjectionDaemonOptions { RebuildBatchSize = pageSize });
        var clock = Stopwatch.StartNew();
        await daemon.RebuildAsync(projection.Name, ct);
        return clock.Elapsed;
    }
}
