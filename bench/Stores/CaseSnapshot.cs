using GovEvents.Bench.Workload;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;

namespace GovEvents.Bench.Stores;

/// <summary>A case stream folded into a document: the inline snapshot lever and the rebuild's projection.</summary>
public sealed class CaseSnapshot
{
    public string Id { get; set; } = "";
    public CaseSummary State { get; set; } = CaseSummary.Empty;
    public int Version { get; set; }
}

/// <summary>One <see cref="CaseSnapshot"/> per case stream, folded by <see cref="CaseSummary.Evolve"/> (the raw loop's fold).</summary>
public sealed class CaseSnapshotProjection : SingleStreamProjection<CaseSnapshot, string>
{
    public const string ProjectionName = "case_summary";

    public CaseSnapshotProjection()
    {
        Name = ProjectionName;
        foreach (var type in CaseEventTypes.ByAlias.Values) IncludeType(type);
    }

    public override CaseSnapshot? Evolve(CaseSnapshot? snapshot, string id, IEvent e) => new()
    {
        Id = id,
        State = CaseSummary.Evolve(snapshot?.State ?? CaseSummary.Empty, e.Data),
        Version = (int)e.Version,
    };

    /// <summary>The document table is <c>mt_doc_case_summary</c>.</summary>
    public static void Document(StoreOptions opts) => opts.Schema.For<CaseSnapshot>().DocumentAlias(ProjectionName);
}
