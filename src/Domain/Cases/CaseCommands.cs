using GovEvents.Domain.Catalogue;
using GovEvents.Domain.Organisation;
using GovEvents.Domain.Time;

namespace GovEvents.Domain.Cases;

/// <summary>When a command is decided: the instant, the hall's date of it, and the working-day calendar.</summary>
public sealed record CaseClock(DateTimeOffset Now, DateOnly Today, WorkingCalendar Calendar);

public sealed record SubmitCase(
    string CaseId, string CaseNumber, QueryCodeHash QueryCodeHash, Matter Matter, Applicant Applicant, Channel Channel,
    IReadOnlyList<string> Materials, string? AgentStaffId, bool CommitmentSigned, string? WindowCode, string? SubmittedBy = null);
public sealed record RequestSupplement(IReadOnlyList<string> Materials, string Note);
public sealed record Supplement(IReadOnlyList<string> Materials);
public sealed record AcceptCase(IReadOnlyList<DeferredMaterial> Deferred);
public sealed record RefuseAcceptance(string Reason, string LegalBasis);

/// <summary>
/// A signature and what the domain needs to judge its authority at this moment: the signer's
/// delegations and the leader of the matter's department.
/// </summary>
public sealed record SignCase(
    Tier Tier, string SignerId, Opinion Opinion, string Comment, bool OnSite, string? Reason, string? LegalBasis,
    IReadOnlyList<Delegation> SignerDelegations, string? DepartmentLeaderId, bool FeesOpen = false);

public sealed record StartParallelReview(IReadOnlyList<string>? Participants, int? OpinionDays);
public sealed record GiveParallelOpinion(string DepartmentCode, ParallelOpinion Opinion, string Comment);
public sealed record HoldJointMeeting(DateTimeOffset HeldAt, IReadOnlyList<string> Attendees);
public sealed record SuspendCase(string Reason, int ExpectedDays, string ApprovedBy, string Note);
public sealed record ExtendDeadline(int Days, string ApprovedBy, string Reason);
public sealed record IssueLicence(string LicenceNumber, DateOnly? ValidUntil);
public sealed record DeliverLicence(DeliveryMethod Method);
public sealed record WithdrawCase(string Reason);
public sealed record TransferCase(string ToHall, string Reason);
public sealed record RecordPostCheck(PostCheckOutcome Outcome, string Note);
