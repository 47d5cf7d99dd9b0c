using GovEvents.Domain.Cases;
using GovEvents.Domain.Complaints;

namespace GovEvents.Domain.Supervision;

/// <summary>One event of a case or complaint stream with who acted (a staff member, or null for the system or an applicant).</summary>
public sealed record Act(object Data, int Version, string? StaffId, string? WindowCode, DateTimeOffset At);

/// <summary>What an event means for the alerts: raise one, or resolve one (when it exists and is open).</summary>
public abstract record AlertAction
{
    public sealed record Raise(AlertRaised Raised) : AlertAction;

    public sealed record Resolve(string AlertId, string Cause, DateTimeOffset At) : AlertAction;
}

/// <summary>
/// 预警 (DOMAIN.md, Soft rules): which events raise which alert and which resolve one. Deadline alerts
/// (overdue-*, *-overdue, suspension-overrun) are raised by the system's overdue records (durable
/// timers at the end of the due day) and resolved by the awaited act; anomaly alerts are raised by the
/// act itself and resolved by a review. An alert's id is its stream id, the same for the same
/// (rule, subject, occurrence), so that reacting again to an event raises nothing twice.
/// </summary>
public static class AlertRules
{
    public const string OverduePromised = "overdue-promised";
    public const string OverdueStatutory = "overdue-statutory";
    public const string RepeatedSupplement = "repeated-supplement";
    public const string DeemedAcceptance = "deemed-acceptance";
    public const string DeemedConsent = "deemed-consent";
    public const string SuspensionOverrun = "suspension-overrun";
    public const string DeferredMaterialOverdue = "deferred-material-overdue";
    public const string RemoteSignature = "remote-signature";
    public const string FeeWaiver = "fee-waiver";
    public const string PostCheckOverdue = "post-check-overdue";
    public const string BadReviewCallbackOverdue = "bad-review-callback-overdue";
    public const string BadReviewRectificationOverdue = "bad-review-rectification-overdue";
    public const string ComplaintOverdue = "complaint-overdue";

    public static readonly IReadOnlyList<string> All =
    [
        OverduePromised, OverdueStatutory, RepeatedSupplement, DeemedAcceptance, DeemedConsent, SuspensionOverrun,
        DeferredMaterialOverdue, RemoteSignature, FeeWaiver, PostCheckOverdue, BadReviewCallbackOverdue,
        BadReviewRectificationOverdue, ComplaintOverdue,
    ];

    /// <summary>A deadline alert resolves when the awaited act happens; the others (anomalies) when reviewed.</summary>
    public static bool IsDeadline(string rule) => rule is OverduePromised or OverdueStatutory or SuspensionOverrun
        or DeferredMaterialOverdue or PostCheckOverdue or BadReviewCallbackOverdue or BadReviewRectificationOverdue or ComplaintOverdue;

    /// <summary>The stream id of the alert of <paramref name="rule"/> on <paramref name="subject"/> (a case or complaint id), per occurrence.</summary>
    public static string IdFor(string rule, string subject, string? occurrence = null) =>
        occurrence is null ? $"alert-{rule}-{subject}" : $"alert-{rule}-{subject}-{occurrence}";

    /// <summary>The event types that raise or resolve an alert.</summary>
    public static readonly IReadOnlyList<Type> EventTypes =
    [
        typeof(SupplementRequested), typeof(CaseDeemedAccepted), typeof(ParallelConsentDeemed), typeof(SignatureRecorded), typeof(FeeWaived),
        typeof(PromisedDeadlinePassed), typeof(StatutoryDeadlinePassed), typeof(SuspensionOverran), typeof(DeferredMaterialOverdue),
        typeof(Cases.PostCheckOverdue), typeof(RatingCallbackOverdue), typeof(RatingRectificationOverdue),
        typeof(CaseApproved), typeof(CaseDenied), typeof(CaseWithdrawn), typeof(CaseNotAccepted), typeof(CaseTransferred),
        typeof(CaseResumed), typeof(MaterialsSupplemented), typeof(PostCheckRecorded),
        typeof(RatingCalledBack), typeof(RatingRectified), typeof(RatingAppealDecided),
        typeof(ComplaintStepOverdue), typeof(ComplaintAccepted), typeof(ComplaintDeclined), typeof(ComplaintAssigned),
        typeof(ComplaintInvestigated), typeof(ComplaintRectified), typeof(ComplaintReplied), typeof(ComplaintClosed),
    ];

    /// <summary>
    /// What <paramref name="act"/> of stream <paramref name="streamId"/> means for the alerts, given the
    /// stream's <paramref name="history"/> up to and including it.
    /// </summary>
    public static IReadOnlyList<AlertAction> React(string streamId, Act act, IReadOnlyList<Act> history) => act.Data switch
    {
        IComplaintEvent e => Complaint(e.ComplaintId, act, e, history),
        ICaseEvent e => Case(e.CaseId, act, e, history),
        _ => [],
    };

    private sealed record Owner(string DepartmentCode, string? WindowCode, string? StaffId);

    private static IReadOnlyList<AlertAction> Case(string caseId, Act act, ICaseEvent e, IReadOnlyList<Act> history)
    {
        AlertAction Raise(string rule, string? occurrence, string detail, Owner? owner = null, string? ratingId = null)
        {
            var submitted = history.Select(h => h.Data).OfType<CaseSubmitted>().FirstOrDefault();
            // The case's department and window; its staff: who acted (a system record: the last staff member who acted on
            // the case; none when no staff member has: an applicant's account is never named as staff).
            var staff = act.StaffId ?? history.LastOrDefault(h => h.StaffId is not null)?.StaffId;
            owner ??= new Owner(submitted?.Matter.DepartmentCode ?? "", act.WindowCode ?? submitted?.WindowCode, staff);
            var id = IdFor(rule, caseId, occurrence);
            return new AlertAction.Raise(new AlertRaised(id, rule, caseId, null, ratingId, owner.DepartmentCode, owner.WindowCode, owner.StaffId, detail, act.At));
        }
        AlertAction Resolve(string rule, string cause, string? occurrence = null) => new AlertAction.Resolve(IdFor(rule, caseId, occurrence), cause, act.At);
        // The stop a resumption or an overrun is about: the last suspension so far.
        string? Suspension() => history.LastOrDefault(h => h.Data is CaseSuspended)?.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        AlertAction[] Ended(string cause) =>
            [Resolve(OverduePromised, cause), Resolve(OverdueStatutory, cause), .. Suspension() is { } s ? [Resolve(SuspensionOverrun, cause, s)] : Array.Empty<AlertAction>()];
        var version = act.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);

        return e switch
        {
            SupplementRequested { Repeated: true } r => [Raise(RepeatedSupplement, version, $"A second supplement request names materials not in the first: {string.Join(", ", r.Materials)}.")],
            CaseDeemedAccepted d => [Raise(DeemedAcceptance, null, $"Not answered within the acceptance window; deemed accepted from {d.EffectiveDate:yyyy-MM-dd}.")],
            ParallelConsentDeemed d => [Raise(DeemedConsent, d.DepartmentCode, $"{d.DepartmentCode} gave no opinion ({(d.Cause == DeemedCause.Absence ? "absent from the joint meeting" : "past its due date")}): deemed consent.",
                new Owner(d.DepartmentCode, null, null))],
            SignatureRecorded { Tier: Catalogue.Tier.Approver, OnSite: false } s => [Raise(RemoteSignature, version, "Signed at the approver tier away from the hall (现场签批 not used).",
                new Owner(history.Select(h => h.Data).OfType<CaseSubmitted>().First().Matter.DepartmentCode, act.WindowCode, s.SignerId))],
            FeeWaived w => [Raise(FeeWaiver, version, $"{w.FeeItemCode}: {w.Amount} waived or reduced on approval {w.ApprovalReference}.", null)],
            PromisedDeadlinePassed p => [Raise(OverduePromised, null, $"Undecided after the promised deadline {p.Deadline:yyyy-MM-dd}.")],
            StatutoryDeadlinePassed p => [Raise(OverdueStatutory, null, $"Undecided after the statutory deadline {p.Deadline:yyyy-MM-dd}.")],
            SuspensionOverran o => [Raise(SuspensionOverrun, Suspension(), $"The stop was expected to end by {o.ExpectedBy:yyyy-MM-dd}.")],
            DeferredMaterialOverdue d => [Raise(DeferredMaterialOverdue, d.Material, $"容缺 material {d.Material} was due by {d.DueDate:yyyy-MM-dd}.")],
            Cases.PostCheckOverdue p => [Raise(PostCheckOverdue, null, $"The commitment's post-check was due by {p.DueDate:yyyy-MM-dd}.")],
            RatingCallbackOverdue r => [Raise(BadReviewCallbackOverdue, r.RatingId, $"The bad review's callback was due by {r.DueDate:yyyy-MM-dd}.", ratingId: r.RatingId)],
            RatingRectificationOverdue r => [Raise(BadReviewRectificationOverdue, r.RatingId, $"The bad review's rectification was due by {r.DueDate:yyyy-MM-dd}.", ratingId: r.RatingId)],

            CaseApproved or CaseDenied => [Resolve(OverduePromised, "decided"), Resolve(OverdueStatutory, "decided")],
            CaseWithdrawn => Ended("withdrawn"),
            CaseNotAccepted => Ended("not-accepted"),
            CaseTransferred => Ended("transferred"),
            CaseResumed => Suspension() is { } s ? [Resolve(SuspensionOverrun, "resumed", s)] : [],
            MaterialsSupplemented m => [.. m.Materials.Select(material => Resolve(DeferredMaterialOverdue, "delivered", material))],
            PostCheckRecorded => [Resolve(PostCheckOverdue, "checked")],
            RatingCalledBack r => [Resolve(BadReviewCallbackOverdue, "called-back", r.RatingId)],
            RatingRectified r => [Resolve(BadReviewRectificationOverdue, "rectified", r.RatingId)],
            RatingAppealDecided { Upheld: true } r =>
                [Resolve(BadReviewCallbackOverdue, "excluded-on-appeal", r.RatingId), Resolve(BadReviewRectificationOverdue, "excluded-on-appeal", r.RatingId)],
            _ => [],
        };
    }

    private static IReadOnlyList<AlertAction> Complaint(string complaintId, Act act, IComplaintEvent e, IReadOnlyList<Act> history)
    {
        AlertAction Resolve(string step, string cause) => new AlertAction.Resolve(IdFor(ComplaintOverdue, complaintId, step), cause, act.At);
        switch (e)
        {
            case ComplaintStepOverdue o:
                var filed = history.Select(h => h.Data).OfType<ComplaintFiled>().First();
                // The department it is about (or the one it was assigned to); the window or staff member when it targets one.
                var department = history.Select(h => h.Data).OfType<ComplaintAssigned>().LastOrDefault()?.DepartmentCode ?? filed.DepartmentCode ?? "";
                return [new AlertAction.Raise(new AlertRaised(IdFor(ComplaintOverdue, complaintId, o.Step), ComplaintOverdue,
                    filed.Target.Kind == TargetKind.Case ? filed.Target.Id : null, complaintId, null, department,
                    filed.Target.Kind == TargetKind.Window ? filed.Target.Id : null, filed.Target.Kind == TargetKind.Staff ? filed.Target.Id : null,
                    $"The complaint's {o.Step} was due by {o.DueDate:yyyy-MM-dd}.", act.At))];
            case ComplaintAccepted: return [Resolve("acceptance", "accepted")];
            case ComplaintDeclined: return [Resolve("acceptance", "declined")];
            case ComplaintAssigned: return [Resolve("assignment", "assigned")];
            case ComplaintInvestigated: return [Resolve("findings", "investigated")];
            case ComplaintRectified: return [Resolve("rectification", "rectified")];
            case ComplaintReplied: return [Resolve("reply", "replied")];
            case ComplaintClosed: return [Resolve("closure", "closed")];
            default: return [];
        }
    }
}
