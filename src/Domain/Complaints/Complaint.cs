namespace GovEvents.Domain.Complaints;

/// <summary>The complaint as decisions need it, folded from its stream.</summary>
public sealed record Complaint
{
    public static readonly Complaint Initial = new();

    public static string StreamId(string id) => $"complaint-{id}";

    public string Id { get; init; } = "";
    public bool Exists => Id.Length > 0;
    public ComplaintStatus Status { get; init; }
    public string FiledBy { get; init; } = "";
    public FindingsResult? Result { get; init; }
    /// <summary>When the awaited step is due; null once the complaint is closed or declined.</summary>
    public DateOnly? DueDate { get; init; }
    /// <summary>The status whose awaited step was recorded overdue (once per step).</summary>
    public ComplaintStatus? OverdueRecordedIn { get; init; }

    public bool Open => Exists && Status is not (ComplaintStatus.Closed or ComplaintStatus.Declined);

    /// <summary>The step the complaint waits for in its status.</summary>
    public string? AwaitedStep => Status switch
    {
        ComplaintStatus.Filed => "acceptance",
        ComplaintStatus.Accepted => "assignment",
        ComplaintStatus.Assigned => "findings",
        ComplaintStatus.Investigated => Result == FindingsResult.Unsubstantiated ? "reply" : "rectification",
        ComplaintStatus.Rectified => "reply",
        ComplaintStatus.Replied => "closure",
        _ => null,
    };

    public static Complaint Evolve(Complaint state, object e) => e switch
    {
        ComplaintFiled f => new Complaint { Id = f.ComplaintId, Status = ComplaintStatus.Filed, FiledBy = f.FiledBy, DueDate = f.DueDate },
        ComplaintAccepted a => state with { Status = ComplaintStatus.Accepted, DueDate = a.DueDate },
        ComplaintDeclined => state with { Status = ComplaintStatus.Declined, DueDate = null },
        ComplaintAssigned a => state with { Status = ComplaintStatus.Assigned, DueDate = a.DueDate },
        ComplaintInvestigated i => state with { Status = ComplaintStatus.Investigated, Result = i.Result, DueDate = i.DueDate },
        ComplaintRectified r => state with { Status = ComplaintStatus.Rectified, DueDate = r.DueDate },
        ComplaintReplied r => state with { Status = ComplaintStatus.Replied, DueDate = r.DueDate },
        ComplaintClosed => state with { Status = ComplaintStatus.Closed, DueDate = null },
        ComplaintStepOverdue o => state with { OverdueRecordedIn = o.Status },
        _ => state,
    };
}
