using GovEvents.Domain.Catalogue;

namespace GovEvents.Domain.Cases;

public enum ApplicantKind { Person, Organisation }
public enum Channel { Window, Online, Kiosk, Mobile }
public enum Opinion { Approve, Deny, Return }
public enum ParallelOpinion { Agree, Conditional, Disagree }
public enum DeemedCause { Timeout, Absence }
public enum DeliveryMethod { Window, Mail, Electronic }
public enum PostCheckOutcome { Confirmed, False }
/// <summary>How a case came to be approved: the final tier's signature, 告知承诺 (notification-commitment) or 秒批 (instant approval).</summary>
public enum ApprovalRoute { Signature, Commitment, InstantApproval }

public sealed record Applicant(ApplicantKind Kind, string Name, string IdNumber, string Phone);
/// <summary>容缺: a deferrable material accepted as missing, due by a date.</summary>
public sealed record DeferredMaterial(string Material, DateOnly DueDate);
public sealed record ParallelParticipant(string DepartmentCode, DateOnly DueDate);

/// <summary>
/// An event of the case (办件) stream: the case's own steps (below), its fees (<see cref="ICaseFeeEvent"/>)
/// and its ratings (<see cref="ICaseRatingEvent"/>). Each carries the case id and when it happened.
/// </summary>
public interface ICaseEvent
{
    string CaseId { get; }
}

/// <summary>
/// Received by any channel. Carries the matter version it was received under: an open case keeps
/// it even when the catalogue is revised, and the query code only as its salted hash.
/// </summary>
public sealed record CaseSubmitted(
    string CaseId, string CaseNumber, QueryCodeHash QueryCodeHash, int MatterVersion, MatterDefinition Matter,
    Applicant Applicant, Channel Channel, IReadOnlyList<string> Materials, string? AgentStaffId, string? SubmittedBy,
    bool CommitmentSigned, string? WindowCode, DateTimeOffset ReceivedAt, DateOnly ReceivedDate, DateOnly AcceptanceDueDate) : ICaseEvent;

/// <summary>一次性告知: the missing materials, all at once. A later request naming others is flagged.</summary>
public sealed record SupplementRequested(string CaseId, IReadOnlyList<string> Materials, string Note, bool Repeated, bool Late, DateTimeOffset RequestedAt) : ICaseEvent;
/// <summary>Supplemented materials; when it completes a supplement request, the acceptance window starts again.</summary>
public sealed record MaterialsSupplemented(string CaseId, IReadOnlyList<string> Materials, DateOnly SupplementedOn, DateOnly? AcceptanceDueDate, DateTimeOffset SupplementedAt) : ICaseEvent;

public sealed record CaseAccepted(
    string CaseId, IReadOnlyList<DeferredMaterial> Deferred, DateOnly ClockStart,
    DateOnly PromisedDeadline, DateOnly StatutoryDeadline, DateTimeOffset AcceptedAt) : ICaseEvent;
public sealed record CaseNotAccepted(string CaseId, string Reason, string LegalBasis, DateTimeOffset DecidedAt) : ICaseEvent;
/// <summary>Five working days passed without an answer (ALL art. 32): accepted from the day of receipt.</summary>
public sealed record CaseDeemedAccepted(string CaseId, DateOnly EffectiveDate, DateOnly PromisedDeadline, DateOnly StatutoryDeadline, DateTimeOffset RecordedAt) : ICaseEvent;

/// <summary>签批: one tier's opinion, with the authority it relied on.</summary>
public sealed record SignatureRecorded(
    string CaseId, Tier Tier, string SignerId, Opinion Opinion, string Comment, bool OnSite,
    string? DelegationId, bool AsLeader, DateTimeOffset SignedAt) : ICaseEvent;
public sealed record CaseApproved(string CaseId, string DecidedBy, ApprovalRoute Route, string Basis, DateOnly LicenceDueDate, DateOnly? PostCheckDueDate, DateTimeOffset DecidedAt) : ICaseEvent;
public sealed record CaseDenied(string CaseId, string DecidedBy, string Reason, string LegalBasis, string RightsNotice, DateTimeOffset DecidedAt) : ICaseEvent;

public sealed record ParallelReviewStarted(string CaseId, string LeadDepartmentCode, IReadOnlyList<ParallelParticipant> Participants, DateTimeOffset StartedAt) : ICaseEvent;
public sealed record ParallelOpinionGiven(string CaseId, string DepartmentCode, ParallelOpinion Opinion, string Comment, DateTimeOffset GivenAt) : ICaseEvent;
/// <summary>超时默认 / 缺席默认: recorded by the system for a participant that did not answer.</summary>
public sealed record ParallelConsentDeemed(string CaseId, string DepartmentCode, DeemedCause Cause, DateTimeOffset DeemedAt) : ICaseEvent;
public sealed record JointMeetingHeld(string CaseId, DateTimeOffset HeldAt, IReadOnlyList<string> Attendees, IReadOnlyList<string> Absent, DateTimeOffset RecordedAt) : ICaseEvent;

/// <summary>特别程序: the clock stops (unless the procedure's time counts toward the limit).</summary>
public sealed record CaseSuspended(
    string CaseId, string Reason, string ReasonName, string LegalBasis, bool CountsTowardLimit, int ExpectedDays,
    string ApprovedBy, string Note, CaseStatus StatusBefore, DateOnly SuspendedOn, DateTimeOffset SuspendedAt,
    DateOnly? ExpectedBy = null) : ICaseEvent;
public sealed record CaseResumed(string CaseId, int StoppedWorkingDays, DateOnly PromisedDeadline, DateOnly StatutoryDeadline, DateTimeOffset ResumedAt) : ICaseEvent;
public sealed record DeadlineExtended(string CaseId, int Days, string ApprovedBy, string Reason, DateOnly PromisedDeadline, DateOnly StatutoryDeadline, DateTimeOffset ExtendedAt) : ICaseEvent;

public sealed record LicenceIssued(string CaseId, string LicenceNumber, DateOnly? ValidUntil, DateTimeOffset IssuedAt) : ICaseEvent;
public sealed record LicenceDelivered(string CaseId, DeliveryMethod Method, DateTimeOffset DeliveredAt) : ICaseEvent;
public sealed record CaseWithdrawn(string CaseId, string Reason, DateTimeOffset WithdrawnAt) : ICaseEvent;
/// <summary>市县转接: a lower level's preliminary review forwarded to the deciding hall, materials with it.</summary>
public sealed record CaseTransferred(string CaseId, string ToHall, string Reason, IReadOnlyList<string> Materials, DateTimeOffset TransferredAt) : ICaseEvent;
public sealed record PostCheckRecorded(string CaseId, PostCheckOutcome Outcome, string Note, DateTimeOffset CheckedAt) : ICaseEvent;
/// <summary>System record: a 容缺 material was not delivered by its due date.</summary>
public sealed record DeferredMaterialOverdue(string CaseId, string Material, DateOnly DueDate, DateTimeOffset RecordedAt) : ICaseEvent;
/// <summary>System record: the commitment post-check was not done by its due date.</summary>
public sealed record PostCheckOverdue(string CaseId, DateOnly DueDate, DateTimeOffset RecordedAt) : ICaseEvent;
/// <summary>System record: the case was still undecided at the end of its promised deadline (承诺时限).</summary>
public sealed record PromisedDeadlinePassed(string CaseId, DateOnly Deadline, DateTimeOffset RecordedAt) : ICaseEvent;
/// <summary>System record: the case was still undecided at the end of its statutory deadline (法定时限).</summary>
public sealed record StatutoryDeadlinePassed(string CaseId, DateOnly Deadline, DateTimeOffset RecordedAt) : ICaseEvent;
/// <summary>System record: a stop (特别程序) lasted longer than the days it stated.</summary>
public sealed record SuspensionOverran(string CaseId, DateOnly ExpectedBy, DateTimeOffset RecordedAt) : ICaseEvent;
/// <summary>A false commitment found at the post-check revokes the licence.</summary>
public sealed record LicenceRevoked(string CaseId, string Reason, DateTimeOffset RevokedAt) : ICaseEvent;

/// <summary>Stable storage names of these events, never the CLR names: renaming a type keeps what is stored.</summary>
public static class CaseEventNames
{
    public static readonly IReadOnlyList<(Type Type, string Name)> All =
    [
        (typeof(CaseSubmitted), "case_submitted"),
        (typeof(SupplementRequested), "supplement_requested"),
        (typeof(MaterialsSupplemented), "materials_supplemented"),
        (typeof(CaseAccepted), "case_accepted"),
        (typeof(CaseNotAccepted), "case_not_accepted"),
        (typeof(CaseDeemedAccepted), "case_deemed_accepted"),
        (typeof(SignatureRecorded), "signature_recorded"),
        (typeof(CaseApproved), "case_approved"),
        (typeof(CaseDenied), "case_denied"),
        (typeof(ParallelReviewStarted), "parallel_review_started"),
        (typeof(ParallelOpinionGiven), "parallel_opinion_given"),
        (typeof(ParallelConsentDeemed), "parallel_consent_deemed"),
        (typeof(JointMeetingHeld), "joint_meeting_held"),
        (typeof(CaseSuspended), "case_suspended"),
        (typeof(CaseResumed), "case_resumed"),
        (typeof(DeadlineExtended), "deadline_extended"),
        (typeof(LicenceIssued), "licence_issued"),
        (typeof(LicenceDelivered), "licence_delivered"),
        (typeof(CaseWithdrawn), "case_withdrawn"),
        (typeof(CaseTransferred), "case_transferred"),
        (typeof(PostCheckRecorded), "post_check_recorded"),
        (typeof(DeferredMaterialOverdue), "deferred_material_overdue"),
        (typeof(PostCheckOverdue), "post_check_overdue"),
        (typeof(LicenceRevoked), "licence_revoked"),
        (typeof(PromisedDeadlinePassed), "promised_deadline_passed"),
        (typeof(StatutoryDeadlinePassed), "statutory_deadline_passed"),
        (typeof(SuspensionOverran), "suspension_overran"),
    ];
}
