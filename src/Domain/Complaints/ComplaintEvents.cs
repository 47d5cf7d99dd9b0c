using GovEvents.Domain.Organisation;

namespace GovEvents.Domain.Complaints;

public enum ComplaintChannel { Letter, Visit, Phone, Online, Hotline }
public enum TargetKind { Case, Window, Staff, Department }
public enum ComplaintCategory { Efficiency, Conduct, Fees, Integrity, Other }
public enum FindingsResult { Substantiated, Partly, Unsubstantiated }
public enum ComplaintStatus { Filed, Accepted, Declined, Assigned, Investigated, Rectified, Replied, Closed }
/// <summary>谈话提醒, 批评教育, 通报批评, 调整岗位.</summary>
public enum AccountabilityMeasure { Reminder, Education, Notice, Reassignment }

/// <summary>What a complaint is about: a case, a window, a staff member or a department.</summary>
public sealed record ComplaintTarget(TargetKind Kind, string Id);
public sealed record Complainant(string Name, string Phone, bool RealName);

/// <summary>An event of the complaint (投诉) stream. Each step carries the due date of the step after it.</summary>
public interface IComplaintEvent
{
    string ComplaintId { get; }
}

/// <summary>
/// Filed through a channel against a target; <paramref name="DepartmentCode"/> is the target's
/// department (null when unknown); <paramref name="FiledBy"/> the subject who filed it (its complainant on reads).
/// </summary>
public sealed record ComplaintFiled(
    string ComplaintId, ComplaintChannel Channel, ComplaintTarget Target, ComplaintCategory Category, string Content,
    Complainant Complainant, string FiledBy, string? DepartmentCode, DateOnly DueDate, DateTimeOffset FiledAt) : IComplaintEvent;
public sealed record ComplaintAccepted(string ComplaintId, string By, DateOnly DueDate, DateTimeOffset AcceptedAt) : IComplaintEvent;
public sealed record ComplaintDeclined(string ComplaintId, string Reason, string By, DateTimeOffset DeclinedAt) : IComplaintEvent;
/// <summary>督办: assigned to a department for investigation, findings due in <paramref name="DueDays"/> working days.</summary>
public sealed record ComplaintAssigned(string ComplaintId, string DepartmentCode, int DueDays, DateOnly DueDate, string By, DateTimeOffset AssignedAt) : IComplaintEvent;
public sealed record ComplaintInvestigated(string ComplaintId, FindingsResult Result, string Findings, DateOnly DueDate, string By, DateTimeOffset InvestigatedAt) : IComplaintEvent;
public sealed record ComplaintRectified(string ComplaintId, string Actions, DateOnly DueDate, string By, DateTimeOffset RectifiedAt) : IComplaintEvent;
/// <summary>件件有回音: the answer to the complainant.</summary>
public sealed record ComplaintReplied(string ComplaintId, string Content, DateOnly DueDate, string By, DateTimeOffset RepliedAt) : IComplaintEvent;
public sealed record ComplaintClosed(string ComplaintId, int Satisfaction, string By, DateTimeOffset ClosedAt) : IComplaintEvent;
/// <summary>System record: the awaited step (acceptance, assignment, findings, rectification, reply, closure) was not taken by its due date.</summary>
public sealed record ComplaintStepOverdue(string ComplaintId, string Step, ComplaintStatus Status, DateOnly DueDate, DateTimeOffset RecordedAt) : IComplaintEvent;
/// <summary>An accountability measure on a staff member, taken on this complaint (the measure itself is on the staff stream).</summary>
public sealed record ComplaintAccountabilityLinked(string ComplaintId, string MeasureId, string StaffId, AccountabilityMeasure Measure, DateTimeOffset LinkedAt) : IComplaintEvent;

/// <summary>问责: a measure recorded against a staff member (on the staff stream), linked to a complaint where it arose from one.</summary>
public sealed record AccountabilityMeasureRecorded(
    string StaffId, string MeasureId, AccountabilityMeasure Measure, string? ComplaintId, string Reason, string By, DateTimeOffset RecordedAt) : IStaffEvent;

/// <summary>Stable storage names of these events, never the CLR names: renaming a type keeps what is stored.</summary>
public static class ComplaintEventNames
{
    public static readonly IReadOnlyList<(Type Type, string Name)> All =
    [
        (typeof(ComplaintFiled), "complaint_filed"),
        (typeof(ComplaintAccepted), "complaint_accepted"),
        (typeof(ComplaintDeclined), "complaint_declined"),
        (typeof(ComplaintAssigned), "complaint_assigned"),
        (typeof(ComplaintInvestigated), "complaint_investigated"),
        (typeof(ComplaintRectified), "complaint_rectified"),
        (typeof(ComplaintReplied), "complaint_replied"),
        (typeof(ComplaintClosed), "complaint_closed"),
        (typeof(ComplaintStepOverdue), "complaint_step_overdue"),
        (typeof(ComplaintAccountabilityLinked), "complaint_accountability_linked"),
        (typeof(AccountabilityMeasureRecorded), "accountability_measure_recorded"),
    ];
}
