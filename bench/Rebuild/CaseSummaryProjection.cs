using GovEvents.Bench.Workload;
using GovEvents.EventStore;

namespace GovEvents.Bench.Rebuild;

/// <summary>One document per case stream, folded exactly as the raw rebuild folds it.</summary>
public sealed class CaseSummaryProjection() : DocumentProjection<CaseSummary>(StoreRebuild.ProjectionName)
{
    protected override CaseSummary? Apply(CaseSummary? current, StoredEvent e) =>
        CaseSummary.Evolve(current ?? CaseSummary.Empty, e.Data);
}
