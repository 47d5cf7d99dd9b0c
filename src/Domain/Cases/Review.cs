using System.Collections.Immutable;
using GovEvents.Domain.Catalogue;

namespace GovEvents.Domain.Cases;

/// <summary>Review: tier signatures, parallel review, clock stops and the one extension.</summary>
public static partial class CaseDecider
{
    /// <summary>Licence issued within 10 working days of approval (ALL art. 44).</summary>
    public const int LicenceDays = 10;

    /// <summary>The rights notice every denial carries (ALL art. 38).</summary>
    public const string RightsNotice =
        "申请人不服本决定的，可以自收到本决定之日起六十日内依法申请行政复议，或者六个月内依法向人民法院提起行政诉讼。" +
        " (The applicant may apply for administrative review within 60 days or bring an administrative lawsuit within 6 months.)";

    /// <summary>
    /// 签批: the next tier signs, with authority at this moment (a delegation in force, or the
    /// department's leader); one person one tier; "return" sends the case back a tier; the final
    /// tier's approve or deny is the decision.
    /// </summary>
    public static Decision Sign(Case state, SignCase c, CaseClock clock)
    {
        if (state.Decided) return Decision.Refuse(Rules.AlreadyDecided, "The case is already decided.");
        if (state.Status is not (CaseStatus.Accepted or CaseStatus.InReview or CaseStatus.ParallelReview)) return InvalidState(state, "sign");
        var order = state.Matter.TierOrder;
        if (!order.Contains(c.Tier)) return Decision.Refuse(Rules.TierOrder, $"Matter {state.Matter.Code} has no {c.Tier.ToString().ToLowerInvariant()} tier.");
        if (order[state.NextTier] != c.Tier)
            return Decision.Refuse(Rules.TierOrder, $"The {order[state.NextTier].ToString().ToLowerInvariant()} tier signs next.");
        if (state.Signatures.Any(s => s.SignerId == c.SignerId && s.Tier != c.Tier))
            return Decision.Refuse(Rules.SameSigner, "One person signs at most one tier of a case.");

        var delegation = c.SignerDelegations.FirstOrDefault(d => d.Covers(state.Matter.DepartmentCode, state.Matter.Code, c.Tier, clock.Now, clock.Today));
        var asLeader = delegation is null && c.DepartmentLeaderId == c.SignerId;
        if (delegation is null && !asLeader)
            return Decision.Refuse(Rules.NoAuthority, $"{c.SignerId} holds no delegation in force for {state.Matter.Code} at the {c.Tier.ToString().ToLowerInvariant()} tier.");

        var final = state.NextTier == order.Count - 1;
        if (c.Opinion == Opinion.Return && state.NextTier == 0)
            return Decision.Refuse(Rules.TierOrder, "The first tier has no tier below to return the case to.");
        if (final && c.Opinion != Opinion.Return && state.Parallel is { Complete: false })
            return Decision.Refuse(Rules.ParallelReviewPending, "Every participant gives an opinion (or is deemed to consent) before the decision.");
        if (final && c.Opinion == Opinion.Deny)
        {
            if (string.IsNullOrWhiteSpace(c.Reason)) return Decision.Refuse(Rules.ReasonRequired, "A denial states its reason.");
            if (string.IsNullOrWhiteSpace(c.LegalBasis)) return Decision.Refuse(Rules.LegalBasisRequired, "A denial states its legal basis.");
        }
        if (final && c.Opinion == Opinion.Approve && (c.FeesOpen || state.Fees.Open))
            return Decision.Refuse(Rules.BalanceOpen, "Assessed fees are unpaid and not waived.");

        var signature = new SignatureRecorded(state.Id, c.Tier, c.SignerId, c.Opinion, c.Comment ?? "", c.OnSite,
            delegation?.Grant!.DelegationId, asLeader, clock.Now);
        if (!final || c.Opinion == Opinion.Return) return Decision.Of(signature);
        return c.Opinion == Opinion.Approve
            ? Decision.Of(signature, new CaseApproved(state.Id, c.SignerId, ApprovalRoute.Signature, "signature",
                clock.Calendar.AddWorkingDays(clock.Today, LicenceDays), null, clock.Now))
            : Decision.Of([signature, new CaseDenied(state.Id, c.SignerId, c.Reason!, c.LegalBasis!, RightsNotice, clock.Now),
                .. CancelFees(state, FeeCancelCause.Denied, clock)]);
    }

    /// <summary>并联审批: the matter's department leads; participants answer within their opinion days.</summary>
    public static Decision StartParallelReview(Case state, StartParallelReview c, CaseClock clock)
    {
        if (state.Decided) return Decision.Refuse(Rules.AlreadyDecided, "The case is already decided.");
        if (state.Parallel is not null) return Decision.Refuse(Rules.ParallelReviewExists, "Parallel review has already started.");
        if (state.Status is not (CaseStatus.Accepted or CaseStatus.InReview)) return InvalidState(state, "start parallel review of");
        var participants = (c.Participants is { Count: > 0 } p ? p : state.Matter.Parallel?.Participants ?? [])
            .Where(d => d != state.Matter.DepartmentCode).Distinct().ToList();
        var days = c.OpinionDays ?? state.Matter.Parallel?.OpinionDays ?? 5;
        if (participants.Count == 0) return Decision.Refuse(Rules.ParticipantsRequired, "Parallel review needs participating departments.");
        if (days < 1) return Decision.Refuse(Rules.OpinionDaysInvalid, "Opinion days are 1 or more.");
        var due = clock.Calendar.AddWorkingDays(clock.Today, days);
        return Decision.Of(new ParallelReviewStarted(state.Id, state.Matter.DepartmentCode,
            participants.Select(d => new ParallelParticipant(d, due)).ToList(), clock.Now));
    }

    public static Decision GiveParallelOpinion(Case state, GiveParallelOpinion c, CaseClock clock)
    {
        if (state.Parallel is null) return Decision.Refuse(Rules.InvalidState, "The case is not in parallel review.");
        if (state.Decided) return Decision.Refuse(Rules.AlreadyDecided, "The case is already decided.");
        var participant = state.Parallel.Participants.FirstOrDefault(p => p.DepartmentCode == c.DepartmentCode);
        if (participant is null) return Decision.Refuse(Rules.ParticipantUnknown, $"{c.DepartmentCode} does not take part in this review.");
        if (participant.Answered) return Decision.Refuse(Rules.OpinionExists, $"{c.DepartmentCode} has already given its opinion{(participant.Deemed ? " (deemed consent)" : "")}.");
        return Decision.Of(new ParallelOpinionGiven(state.Id, c.DepartmentCode, c.Opinion, c.Comment ?? "", clock.Now));
    }

    /// <summary>Joint meeting (联审会): participants absent without an opinion are deemed to consent (缺席默认).</summary>
    public static Decision HoldJointMeeting(Case state, HoldJointMeeting c, CaseClock clock)
    {
        if (state.Parallel is null) return Decision.Refuse(Rules.InvalidState, "The case is not in parallel review.");
        if (state.Decided) return Decision.Refuse(Rules.AlreadyDecided, "The case is already decided.");
        var attendees = c.Attendees.Distinct().ToList();
        var absent = state.Parallel.Participants.Where(p => !attendees.Contains(p.DepartmentCode)).Select(p => p.DepartmentCode).ToList();
        var events = new List<object> { new JointMeetingHeld(state.Id, c.HeldAt, attendees, absent, clock.Now) };
        events.AddRange(state.Parallel.Participants
            .Where(p => !p.Answered && absent.Contains(p.DepartmentCode))
            .Select(p => new ParallelConsentDeemed(state.Id, p.DepartmentCode, DeemedCause.Absence, clock.Now)));
        return Decision.Of(events);
    }

    /// <summary>Timer: a participant silent past its due date is deemed to consent (超时默认).</summary>
    public static Decision DeemConsent(Case state, string departmentCode, CaseClock clock)
    {
        if (state.Parallel?.Participants.FirstOrDefault(p => p.DepartmentCode == departmentCode) is not { Answered: false } p) return Decision.Nothing;
        if (state.Decided || state.Closed || clock.Today <= p.DueDate) return Decision.Nothing;
        return Decision.Of(new ParallelConsentDeemed(state.Id, departmentCode, DeemedCause.Timeout, clock.Now));
    }

    /// <summary>The reasons of ALL art. 45 that stop the clock.</summary>
    public static readonly IReadOnlyDictionary<string, string> StatutoryStops = new Dictionary<string, string>
    {
        ["hearing"] = "听证", ["tender"] = "招标", ["auction"] = "拍卖", ["testing"] = "检验",
        ["inspection"] = "检测", ["quarantine"] = "检疫", ["appraisal"] = "鉴定", ["expert-review"] = "专家评审",
    };

    public const string Article45 = "《中华人民共和国行政许可法》第四十五条";

    /// <summary>特别程序: an art. 45 reason or one of the matter's special procedures, approved by a named person.</summary>
    public static Decision Suspend(Case state, SuspendCase c, CaseClock clock)
    {
        if (state.Decided) return Decision.Refuse(Rules.AlreadyDecided, "The case is already decided.");
        if (!state.UnderReview) return InvalidState(state, "suspend");
        string name, basis;
        bool counts;
        if (StatutoryStops.TryGetValue(c.Reason ?? "", out var statutoryName)) (name, basis, counts) = (statutoryName, Article45, false);
        else if (state.Matter.SpecialProcedures.FirstOrDefault(p => p.Code == c.Reason) is { } procedure)
            (name, basis, counts) = (procedure.Name, procedure.LegalBasis, procedure.CountsTowardLimit);
        else return Decision.Refuse(Rules.SuspensionReasonInvalid, $"'{c.Reason}' is neither an art. 45 reason nor a special procedure of {state.Matter.Code}.");
        if (c.ExpectedDays < 1) return Decision.Refuse(Rules.SuspensionReasonInvalid, "A stop states its expected days.");
        if (string.IsNullOrWhiteSpace(c.ApprovedBy)) return Decision.Refuse(Rules.SuspensionReasonInvalid, "A stop is approved by a named person.");
        return Decision.Of(new CaseSuspended(state.Id, c.Reason!, name, basis, counts, c.ExpectedDays, c.ApprovedBy, c.Note ?? "",
            state.Status, clock.Today, clock.Now, clock.Calendar.AddWorkingDays(clock.Today, c.ExpectedDays)));
    }

    /// <summary>Resumption: stopped working days move both deadlines, unless the procedure counted toward the limit.</summary>
    public static Decision Resume(Case state, CaseClock clock)
    {
        if (state.OpenSuspension is not { } s) return InvalidState(state, "resume");
        var stopped = s.CountsTowardLimit ? 0 : clock.Calendar.WorkingDaysBetween(s.SuspendedOn, clock.Today);
        return Decision.Of(new CaseResumed(state.Id, stopped,
            clock.Calendar.AddWorkingDays(state.PromisedDeadline!.Value, stopped),
            clock.Calendar.AddWorkingDays(state.StatutoryDeadline!.Value, stopped), clock.Now));
    }

    /// <summary>延期: once, ≤ 10 working days (≤ 15 for joint handling), approved, reason told to the applicant (ALL art. 42).</summary>
    public static Decision Extend(Case state, ExtendDeadline c, CaseClock clock)
    {
        if (state.Decided) return Decision.Refuse(Rules.AlreadyDecided, "The case is already decided.");
        if (!(state.UnderReview || state.Status == CaseStatus.Suspended)) return InvalidState(state, "extend");
        if (state.ExtensionUsed) return Decision.Refuse(Rules.ExtensionUsed, "The one extension the law allows is used.");
        var max = state.Matter.JointHandling ? 15 : 10;
        if (c.Days < 1 || c.Days > max) return Decision.Refuse(Rules.ExtensionTooLong, $"An extension is 1 to {max} working days.");
        if (string.IsNullOrWhiteSpace(c.Reason)) return Decision.Refuse(Rules.ReasonRequired, "The reason is told to the applicant.");
        if (string.IsNullOrWhiteSpace(c.ApprovedBy)) return Decision.Refuse(Rules.ExtensionNeedsApproval, "An extension is approved by the agency's head.");
        return Decision.Of(new DeadlineExtended(state.Id, c.Days, c.ApprovedBy, c.Reason,
            clock.Calendar.AddWorkingDays(state.PromisedDeadline!.Value, c.Days),
            clock.Calendar.AddWorkingDays(state.StatutoryDeadline!.Value, c.Days), clock.Now));
    }
}
