using GovEvents.Bench.Workload;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;

namespace GovEvents.Bench.Stores;

/// <summary>A case stream folded into a document: the inline snapshot lever and the rebuild's projection.</summary>
public sealed class CaseSnapshot
{
    public string Id { get; set; } = "";

    /// <summary>A fresh <see cref="CaseSummary.Empty"/> per instance: Newtonsoft populates this value in place when it reads a document.</summary>
    public CaseSummary State { get; set; } = CaseSummary.Empty;

    public int Version { get; set; }

    /// <summary>What the document of a sample case stream at <paramref name="version"/> must be (id, version and the whole state).</summary>
    public static CaseSnapshot Expected(string id, int seed, int version) =>
        new() { Id = id, State = CaseSummary.Expected(id, seed, version), Version = version };

    /// <summary>Same id, version and state (the state by value: every field of the fold).</summary>
    public bool SameAs(CaseSnapshot other) => Id == other.Id && Version == other.Version && State == other.State;
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
