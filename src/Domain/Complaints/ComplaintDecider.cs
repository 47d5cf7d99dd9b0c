using GovEvents.Domain.Cases;

namespace GovEvents.Domain.Complaints;

/// <summary>Working days each awaited step of a complaint has (findings take the assignment's own dueDays).</summary>
public sealed record ComplaintDeadlines(int AcceptanceDays = 5, int AssignmentDays = 3, int RectificationDays = 15, int ReplyDays = 5, int ClosureDays = 5);

public sealed record FileComplaint(
    string ComplaintId, ComplaintChannel Channel, ComplaintTarget Target, ComplaintCategory Category, string Content,
    Complainant Complainant, string FiledBy, string? DepartmentCode);
public sealed record AssignComplaint(string DepartmentCode, int DueDays);
public sealed record RecordFindings(FindingsResult Result, string Findings);
public sealed record RecordAccountability(string MeasureId, string StaffId, AccountabilityMeasure Measure, string Reason, string By);

/// <summary>
/// 投诉: filed → accepted | declined → assigned (督办) → investigated → rectified → replied → closed.
/// Each step only from the status before it (an unsubstantiated complaint needs no rectification
/// and is replied to after its findings); each step sets the due date of the next.
/// </summary>
public static class ComplaintDecider
{
    public const int MaxDueDays = 60;

    public static Decision File(Complaint state, FileComplaint c, ComplaintDeadlines deadlines, CaseClock clock)
    {
        if (state.Exists) return Decision.Refuse(Rules.ComplaintExists, "This complaint is already filed.");
        if (string.IsNullOrWhiteSpace(c.Content)) return Decision.Refuse(Rules.ContentRequired, "A complaint says what it is about.");
        if (string.IsNullOrWhiteSpace(c.Target.Id)) return Decision.Refuse(Rules.TargetRequired, "A complaint names its target.");
        if (c.Complainant.RealName && (string.IsNullOrWhiteSpace(c.Complainant.Name) || string.IsNullOrWhiteSpace(c.Complainant.Phone)))
            return Decision.Refuse(Rules.ComplainantContactRequired, "A real-name complaint gives the complainant's name and phone.");
        return Decision.Of(new ComplaintFiled(c.ComplaintId, c.Channel, c.Target, c.Category, c.Content, c.Complainant, c.FiledBy,
            c.DepartmentCode, Due(clock, deadlines.AcceptanceDays), clock.Now));
    }

    public static Decision Accept(Complaint state, string by, ComplaintDeadlines deadlines, CaseClock clock) =>
        Expect(state, ComplaintStatus.Filed, "accepted")
        ?? Decision.Of(new ComplaintAccepted(state.Id, by, Due(clock, deadlines.AssignmentDays), clock.Now));

    public static Decision Decline(Complaint state, string reason, string by, CaseClock clock)
    {
        if (Expect(state, ComplaintStatus.Filed, "declined") is { } refused) return refused;
        if (string.IsNullOrWhiteSpace(reason)) return Decision.Refuse(Rules.ReasonRequired, "A declination states its reason.");
        return Decision.Of(new ComplaintDeclined(state.Id, reason, by, clock.Now));
    }

    /// <summary>督办: a department investigates, findings due in dueDays working days.</summary>
    public static Decision Assign(Complaint state, AssignComplaint c, string by, CaseClock clock)
    {
        if (Expect(state, ComplaintStatus.Accepted, "assigned") is { } refused) return refused;
        if (string.IsNullOrWhiteSpace(c.DepartmentCode)) return Decision.Refuse(Rules.DepartmentRequired, "Assign the complaint to a department.");
        if (c.DueDays is < 1 or > MaxDueDays) return Decision.Refuse(Rules.DueDaysInvalid, $"Findings are due in 1 to {MaxDueDays} working days.");
        return Decision.Of(new ComplaintAssigned(state.Id, c.DepartmentCode, c.DueDays, Due(clock, c.DueDays), by, clock.Now));
    }

    public static Decision RecordFindings(Complaint state, RecordFindings c, string by, ComplaintDeadlines deadlines, CaseClock clock)
    {
        if (Expect(state, ComplaintStatus.Assigned, "investigated") is { } refused) return refused;
        if (string.IsNullOrWhiteSpace(c.Findings)) return Decision.Refuse(Rules.ReasonRequired, "Findings say what was found.");
        var next = c.Result == FindingsResult.Unsubstantiated ? deadlines.ReplyDays : deadlines.RectificationDays;
        return Decision.Of(new ComplaintInvestigated(state.Id, c.Result, c.Findings, Due(clock, next), by, clock.Now));
    }

    public static Decision Rectify(Complaint state, string actions, string by, ComplaintDeadlines deadlines, CaseClock clock)
    {
        if (Expect(state, ComplaintStatus.Investigated, "rectified") is { } refused) return refused;
        if (state.Result == FindingsResult.Unsubstantiated)
            return Decision.Refuse(Rules.ComplaintUnsubstantiated, "The complaint was found unsubstantiated: there is nothing to rectify; reply to it.");
        if (string.IsNullOrWhiteSpace(actions)) return Decision.Refuse(Rules.ActionsRequired, "A rectification names its actions.");
        return Decision.Of(new ComplaintRectified(state.Id, actions, Due(clock, deadlines.ReplyDays), by, clock.Now));
    }

    /// <summary>件件有回音: after the rectification, or straight after findings that did not substantiate the complaint.</summary>
    public static Decision Reply(Complaint state, string content, string by, ComplaintDeadlines deadlines, CaseClock clock)
    {
        var ready = state.Status == ComplaintStatus.Rectified
            || state is { Status: ComplaintStatus.Investigated, Result: FindingsResult.Unsubstantiated };
        if (!state.Exists) return NotFound();
        if (!ready)
            return Decision.Refuse(Rules.InvalidState, state.Status is ComplaintStatus.Investigated
                ? "Substantiated findings are rectified before the reply."
                : $"A complaint is replied to after its findings (and rectification); it is {Kebab(state.Status)}.");
        if (string.IsNullOrWhiteSpace(content)) return Decision.Refuse(Rules.ContentRequired, "A reply has content.");
        return Decision.Of(new ComplaintReplied(state.Id, content, Due(clock, deadlines.ClosureDays), by, clock.Now));
    }

    public static Decision Close(Complaint state, int satisfaction, string by, CaseClock clock)
    {
        if (Expect(state, ComplaintStatus.Replied, "closed") is { } refused) return refused;
        if (satisfaction is < 1 or > 5) return Decision.Refuse(Rules.SatisfactionInvalid, "Satisfaction is 1 to 5.");
        return Decision.Of(new ComplaintClosed(state.Id, satisfaction, by, clock.Now));
    }

    /// <summary>Timer: the awaited step is past its due date; recorded once per step.</summary>
    public static Decision FlagOverdue(Complaint state, CaseClock clock) =>
        state is { Open: true, DueDate: { } due, AwaitedStep: { } step } && state.OverdueRecordedIn != state.Status && clock.Today > due
            ? Decision.Of(new ComplaintStepOverdue(state.Id, step, state.Status, due, clock.Now))
            : Decision.Nothing;

    /// <summary>
    /// 问责: a measure against a staff member; on a complaint, only once its findings substantiate
    /// it (wholly or partly). Yields the staff stream's record and, with a complaint, its link.
    /// </summary>
    public static Decision RecordAccountability(Complaint? complaint, RecordAccountability c, CaseClock clock)
    {
        if (string.IsNullOrWhiteSpace(c.Reason)) return Decision.Refuse(Rules.ReasonRequired, "An accountability measure states its reason.");
        if (complaint is null)
            return Decision.Of(new AccountabilityMeasureRecorded(c.StaffId, c.MeasureId, c.Measure, null, c.Reason, c.By, clock.Now));
        if (!complaint.Exists) return NotFound();
        if (complaint.Result is null)
            return Decision.Refuse(Rules.InvalidState, "Accountability on a complaint follows its findings.");
        if (complaint.Result is FindingsResult.Unsubstantiated)
            return Decision.Refuse(Rules.ComplaintUnsubstantiated, "The complaint was found unsubstantiated: no accountability follows from it.");
        return Decision.Of(
            new AccountabilityMeasureRecorded(c.StaffId, c.MeasureId, c.Measure, complaint.Id, c.Reason, c.By, clock.Now),
            new ComplaintAccountabilityLinked(complaint.Id, c.MeasureId, c.StaffId, c.Measure, clock.Now));
    }

    /// <summary>Refusal code for a complaint that does not exist (the API's 404).</summary>
    public const string NotFoundRule = Rules.NotFound;

    private static Decision NotFound() => Decision.Refuse(NotFoundRule, "No such complaint.");

    private static Decision? Expect(Complaint state, ComplaintStatus expected, string what) =>
        !state.Exists ? NotFound()
        : state.Status == expected ? null
        : Decision.Refuse(Rules.InvalidState, $"A complaint is {what} when it is {Kebab(expected)}; this one is {Kebab(state.Status)}.");

    private static DateOnly Due(CaseClock clock, int days) => clock.Calendar.AddWorkingDays(clock.Today, days);

    public static string Kebab(ComplaintStatus status) => status.ToString().ToLowerInvariant();
}
