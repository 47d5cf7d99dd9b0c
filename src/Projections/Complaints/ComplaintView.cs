using System.Collections.Immutable;
using GovEvents.Domain.Complaints;
using GovEvents.Store;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using GovEvents.Projections.Cases;

namespace GovEvents.Projections.Complaints;

public sealed record ComplaintTargetView(string Kind, string Id);
public sealed record ComplainantView(string Name, string Phone, bool RealName);
public sealed record ComplaintStepView(string Step, string By, DateTimeOffset At, string? Text);
public sealed record ComplaintFindingsView(string Result, string Findings, string By, DateTimeOffset At);
public sealed record ComplaintOverdueView(string Step, DateOnly DueDate, DateTimeOffset RecordedAt);
public sealed record ComplaintAccountabilityView(string MeasureId, string StaffId, string Measure, DateTimeOffset LinkedAt);

/// <summary>
/// A complaint (投诉) as its list and detail show it, built only from its events. What depends on
/// "now" (whether the awaited step is overdue) is computed when read.
/// </summary>
public sealed record ComplaintView
{
    /// <summary>The document's identity: the complaint's stream.</summary>
    public string StreamId { get; init; } = "";
    public string Id { get; init; } = "";
    public string Status { get; init; } = "filed";
    public string Channel { get; init; } = "";
    public ComplaintTargetView Target { get; init; } = null!;
    public string Category { get; init; } = "";
    public string Content { get; init; } = "";
    public ComplainantView Complainant { get; init; } = null!;
    /// <summary>The subject who filed it: the complaint's complainant on reads.</summary>
    public string FiledBy { get; init; } = "";
    /// <summary>Whether <see cref="FiledBy"/> is an applicant's account (else staff filed it, at a window or by phone): from the event's metadata.</summary>
    public bool FiledByApplicant { get; init; }
    public DateTimeOffset FiledAt { get; init; }
    /// <summary>The department answering for it: the one assigned, else the target's.</summary>
    public string? DepartmentCode { get; init; }
    public string? TargetDepartmentCode { get; init; }
    /// <summary>The step awaited and when it is due (null once closed or declined).</summary>
    public string? AwaitedStep { get; init; }
    public DateOnly? DueDate { get; init; }
    public bool Open { get; init; } = true;
    public ComplaintStepView? Acceptance { get; init; }
    public ComplaintStepView? Declination { get; init; }
    public ComplaintStepView? Assignment { get; init; }
    public int? DueDays { get; init; }
    public ComplaintFindingsView? Findings { get; init; }
    public ComplaintStepView? Rectification { get; init; }
    public ComplaintStepView? Reply { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public int? Satisfaction { get; init; }
    public ImmutableList<ComplaintOverdueView> OverdueSteps { get; init; } = [];
    public ImmutableList<ComplaintAccountabilityView> Accountability { get; init; } = [];
    /// <summary>Whether the awaited step is past its due date: set when read, never stored.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public bool Overdue { get; init; }
    public int Version { get; init; }
}

public static class ComplaintViewBuilder
{
    public static ComplaintView? Apply(ComplaintView? view, StoredEvent stored) =>
        Apply(view, stored.Data) is { } next
            ? next with
            {
                Version = stored.Version,
                FiledByApplicant = stored.Data is ComplaintFiled ? stored.Metadata.ActorKind == ActorKind.Applicant : next.FiledByApplicant,
            }
            : null;

    private static ComplaintView? Apply(ComplaintView? view, object e)
    {
        if (e is ComplaintFiled f)
            return new ComplaintView
            {
                Id = f.ComplaintId, Channel = K(f.Channel), Target = new ComplaintTargetView(K(f.Target.Kind), f.Target.Id),
                Category = K(f.Category), Content = f.Content,
                Complainant = new ComplainantView(f.Complainant.Name, f.Complainant.Phone, f.Complainant.RealName),
                FiledBy = f.FiledBy, FiledAt = f.FiledAt, DepartmentCode = f.DepartmentCode, TargetDepartmentCode = f.DepartmentCode,
                AwaitedStep = "acceptance", DueDate = f.DueDate,
            };
        if (view is null) return null;
        return e switch
        {
            ComplaintAccepted a => view with { Status = "accepted", Acceptance = new("acceptance", a.By, a.AcceptedAt, null), AwaitedStep = "assignment", DueDate = a.DueDate },
            ComplaintDeclined d => view with
            {
                Status = "declined", Declination = new("declination", d.By, d.DeclinedAt, d.Reason), AwaitedStep = null, DueDate = null, Open = false,
            },
            ComplaintAssigned a => view with
            {
                Status = "assigned", Assignment = new("assignment", a.By, a.AssignedAt, a.DepartmentCode), DepartmentCode = a.DepartmentCode,
                DueDays = a.DueDays, AwaitedStep = "findings", DueDate = a.DueDate,
            },
            ComplaintInvestigated i => view with
            {
                Status = "investigated", Findings = new(K(i.Result), i.Findings, i.By, i.InvestigatedAt),
                AwaitedStep = i.Result == FindingsResult.Unsubstantiated ? "reply" : "rectification", DueDate = i.DueDate,
            },
            ComplaintRectified r => view with { Status = "rectified", Rectification = new("rectification", r.By, r.RectifiedAt, r.Actions), AwaitedStep = "reply", DueDate = r.DueDate },
            ComplaintReplied r => view with { Status = "replied", Reply = new("reply", r.By, r.RepliedAt, r.Content), AwaitedStep = "closure", DueDate = r.DueDate },
            ComplaintClosed c => view with { Status = "closed", ClosedAt = c.ClosedAt, Satisfaction = c.Satisfaction, AwaitedStep = null, DueDate = null, Open = false },
            ComplaintStepOverdue o => view with { OverdueSteps = view.OverdueSteps.Add(new(o.Step, o.DueDate, o.RecordedAt)) },
            ComplaintAccountabilityLinked l => view with { Accountability = view.Accountability.Add(new(l.MeasureId, l.StaffId, K(l.Measure), l.LinkedAt)) },
            _ => view,
        };
    }

    private static string K<T>(T value) where T : struct, Enum => CaseViewBuilder.Kebab(value);
}

/// <summary>The complaint list's documents, one per complaint stream, async.</summary>
public sealed class ComplaintViewProjection : SingleStreamProjection<ComplaintView, string>
{
    public const string ProjectionName = "complaint_views";

    public ComplaintViewProjection()
    {
        Name = ProjectionName;
        foreach (var (type, _) in EventNames.All.Where(e => e.Type.IsAssignableTo(typeof(IComplaintEvent)))) IncludeType(type);
    }

    public override ComplaintView? Evolve(ComplaintView? snapshot, string id, IEvent e) =>
        ComplaintViewBuilder.Apply(snapshot, EventLog.ToStored(e)) is { } next ? next with { StreamId = id } : null;

    public static void Configure(StoreOptions opts)
    {
        opts.Schema.For<ComplaintView>().DocumentAlias("complaint_view").Identity(x => x.StreamId)
            .Duplicate(x => x.Status).Duplicate(x => x.DepartmentCode).Duplicate(x => x.FiledBy);
        opts.Projections.Add(new ComplaintViewProjection(), JasperFx.Events.Projections.ProjectionLifecycle.Async, asyncConfiguration: AsyncProjections.Paging);
    }
}
