using GovEvents.Domain.Cases;
using GovEvents.Domain.Catalogue;

namespace GovEvents.Api.Cases;

public sealed record ApplicantRequest(ApplicantKind? Kind, string? Name, string? IdNumber, string? Phone);
public sealed record SubmitCaseRequest(string? MatterCode, ApplicantRequest? Applicant, Channel? Channel, string[]? Materials, string? AgentStaffId, bool? CommitmentSigned);
public sealed record SubmitCaseResponse(string Id, string CaseNumber, string QueryCode, string Status, int Version);
public sealed record SupplementRequestRequest(string[]? Materials, string? Note);
public sealed record SupplementsRequest(string[]? Materials);
public sealed record DeferredRequest(string? Material, DateOnly? DueDate);
public sealed record AcceptanceRequest(DeferredRequest[]? Deferred);
public sealed record AcceptanceResponse(string Id, int Version, string Status, DateOnly? PromisedDeadline, DateOnly? StatutoryDeadline, DateOnly? PostCheckDueDate);
public sealed record NonAcceptanceRequest(string? Reason, string? LegalBasis);
public sealed record SignatureRequest(Tier? Tier, Opinion? Opinion, string? Comment, bool? OnSite, string? Reason, string? LegalBasis);
public sealed record ParallelReviewRequest(string[]? Participants, int? OpinionDays);
public sealed record OpinionRequest(string? DepartmentCode, ParallelOpinion? Opinion, string? Comment);
public sealed record MeetingRequest(DateTimeOffset? HeldAt, string[]? Attendees);
public sealed record SuspensionRequest(string? Reason, int? ExpectedDays, string? ApprovedBy, string? Note);
public sealed record ExtensionRequest(int? Days, string? ApprovedBy, string? Reason);
public sealed record ExtensionResponse(string Id, int Version, string Status, DateOnly? PromisedDeadline, DateOnly? StatutoryDeadline);
public sealed record LicenceRequest(string? LicenceNumber, DateOnly? ValidUntil);
public sealed record DeliveryRequest(DeliveryMethod? Method);
public sealed record WithdrawalRequest(string? Reason);
public sealed record TransferRequest(string? ToHall, string? Reason);
public sealed record PostCheckRequest(PostCheckOutcome? Outcome, string? Note);
