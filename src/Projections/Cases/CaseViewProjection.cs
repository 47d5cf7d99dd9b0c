using GovEvents.Domain.Cases;
using GovEvents.Store;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;

namespace GovEvents.Projections.Cases;

/// <summary>
/// The case views, one document per case stream, async. The work queue's filters are duplicated
/// into columns of the document table so that it filters and sorts in SQL.
/// </summary>
public sealed class CaseViewProjection : SingleStreamProjection<CaseView, string>
{
    public const string ProjectionName = "case_views";

    public CaseViewProjection()
    {
        Name = ProjectionName;
        foreach (var (type, _) in EventNames.All.Where(e => e.Type.IsAssignableTo(typeof(ICaseEvent)))) IncludeType(type);
    }

    public override CaseView? Evolve(CaseView? snapshot, string id, IEvent e) => CaseViewBuilder.Apply(snapshot, EventLog.ToStored(e));

    public static void Configure(StoreOptions opts)
    {
        opts.Schema.For<CaseView>().DocumentAlias("case_view")
            .Duplicate(x => x.CaseNumber, configure: i => i.IsUnique = true)
            .Duplicate(x => x.Status)
            .Duplicate(x => x.DepartmentCode)
            .Duplicate(x => x.WindowCode)
            .Duplicate(x => x.MatterCode)
            .Duplicate(x => x.ReceivedDate, pgType: "date")
            .Duplicate(x => x.SubmittedBy)
            .Duplicate(x => x.AgentStaffId);
        opts.Projections.Add(new CaseViewProjection(), JasperFx.Events.Projections.ProjectionLifecycle.Async, asyncConfiguration: AsyncProjections.Paging);
    }
}
