using System.Collections.Immutable;
using GovEvents.Domain.Catalogue;

namespace GovEvents.Domain.Cases;

public enum CaseStatus
{
    Submitted, Supplementing, Accepted, InReview, ParallelReview, Suspended, Approved, Denied, Licensed,
    Delivered, NotAccepted, Withdrawn, Terminated, Transferred, Revoked,
}

public sealed record ParticipantState(string DepartmentCode, DateOnly DueDate, ParallelOpinion? Opinion = null, bool Deemed = false)
{
    public bool Answered => Opinion is not null;
}

public sealed record ParallelState(string LeadDepartmentCode, ImmutableList<ParticipantState> Participants, CaseStatus StatusBefore)
{
    public bool Complete => Participants.All(p => p.Answered);
}

/// <summary>The case (办件) as decisions need it, folded from its stream.</summary>
public sealed record Case
{
    public string Id { get; init; } = "";
    public string CaseNumber { get; init; } = "";
    public MatterDefinition Matter { get; init; } = null!;
    public int MatterVersion { get; init; }
    public Applicant Applicant { get; init; } = null!;
    public string? AgentStaffId { get; init; }
    /// <summary>The subject who submitted: the applicant themselves, an agent or a clerk.</summary>
    public string? SubmittedBy { get; init; }
    public bool CommitmentSigned { get; init; }
    public CaseStatus Status { get; init; }
    public bool Exists => Id.Length > 0;
    public DateOnly ReceivedDate { get; init; }
    /// <summary>The acceptance window: from receipt (or the completing supplement) to its 5th working day.</summary>
    public DateOnly AcceptanceWindowFrom { get; init; }
    public DateOnly AcceptanceDueDate { get; init; }
    public ImmutableHashSet<string> Materials { get; init; } = [];
    public ImmutableList<string>? FirstSupplementRequest { get; init; }
    public ImmutableList<DeferredMaterial> Deferred { get; init; } = [];
    public DateOnly? ClockStart { get; init; }
    public DateOnly? PromisedDeadline { get; init; }
    public DateOnly? StatutoryDeadline { get; init; }
    public bool ExtensionUsed { get; init; }
    public int StoppedDays { get; init; }
    public CaseSuspended? OpenSuspension { get; init; }
    public ImmutableList<SignatureRecorded> Signatures { get; init; } = [];
    /// <summary>Index into the matter's tier order of the tier that signs next.</summary>
    public int NextTier { get; init; }
    public ParallelState? Parallel { get; init; }
    public DateOnly? PostCheckDueDate { get; init; }
    public bool PostCheckDone { get; init; }
    public bool HasLicence { get; init; }
    /// <summary>Recorded once each: the promised and the statutory deadline passed undecided.</summary>
    public bool PromisedPassed { get; init; }
    public bool StatutoryPassed { get; init; }
    /// <summary>一费制: the payment notice and what was paid, waived and is due back.</summary>
    public CaseFees Fees { get; init; } = CaseFees.None;
    /// <summary>好差评: the ratings of the case's stages and their follow-up.</summary>
    public CaseRatings Ratings { get; init; } = CaseRatings.None;

    public bool Decided => Status is CaseStatus.Approved or CaseStatus.Denied or CaseStatus.Licensed
        or CaseStatus.Delivered or CaseStatus.Revoked;
    public bool Closed => Status is CaseStatus.Delivered or CaseStatus.Denied or CaseStatus.NotAccepted
        or CaseStatus.Withdrawn or CaseStatus.Terminated or CaseStatus.Revoked or CaseStatus.Transferred;
    public bool AwaitingAcceptance => Exists && Status is CaseStatus.Submitted or CaseStatus.Supplementing;
    public bool UnderReview => Status is CaseStatus.Accepted or CaseStatus.InReview or CaseStatus.ParallelReview;

    public static readonly Case Initial = new();

    public static Case Evolve(Case state, object e) => e switch
    {
        CaseSubmitted s => new Case
        {
            Id = s.CaseId, CaseNumber = s.CaseNumber, Matter = s.Matter, MatterVersion = s.MatterVersion,
            Applicant = s.Applicant, AgentStaffId = s.AgentStaffId, SubmittedBy = s.SubmittedBy, CommitmentSigned = s.CommitmentSigned,
            Status = CaseStatus.Submitted, ReceivedDate = s.ReceivedDate, Materials = [.. s.Materials],
            AcceptanceWindowFrom = s.ReceivedDate, AcceptanceDueDate = s.AcceptanceDueDate,
        },
        SupplementRequested r => state with
        {
            Status = CaseStatus.Supplementing,
            FirstSupplementRequest = state.FirstSupplementRequest ?? [.. r.Materials],
        },
        MaterialsSupplemented m => state with
        {
            Materials = state.Materials.Union(m.Materials),
            Deferred = state.Deferred.RemoveAll(d => m.Materials.Contains(d.Material)),
            Status = state.Status == CaseStatus.Supplementing ? CaseStatus.Submitted : state.Status,
            AcceptanceWindowFrom = m.AcceptanceDueDate is null ? state.AcceptanceWindowFrom : m.SupplementedOn,
            AcceptanceDueDate = m.AcceptanceDueDate ?? state.AcceptanceDueDate,
        },
        CaseAccepted a => state with
        {
            Status = CaseStatus.Accepted, Deferred = [.. a.Deferred], ClockStart = a.ClockStart,
            PromisedDeadline = a.PromisedDeadline, StatutoryDeadline = a.StatutoryDeadline,
        },
        CaseDeemedAccepted d => state with
        {
            Status = CaseStatus.Accepted, ClockStart = d.EffectiveDate,
            PromisedDeadline = d.PromisedDeadline, StatutoryDeadline = d.StatutoryDeadline,
        },
        CaseNotAccepted => state with { Status = CaseStatus.NotAccepted },
        SignatureRecorded s => state with
        {
            Signatures = state.Signatures.Add(s),
            Status = state.Status == CaseStatus.Accepted ? CaseStatus.InReview : state.Status,
            NextTier = s.Opinion == Opinion.Return ? state.NextTier - 1 : state.NextTier + 1,
        },
        CaseApproved a => state with { Status = CaseStatus.Approved, PostCheckDueDate = a.PostCheckDueDate },
        CaseDenied => state with { Status = CaseStatus.Denied },
        ParallelReviewStarted p => state with
        {
            Parallel = new ParallelState(p.LeadDepartmentCode, [.. p.Participants.Select(x => new ParticipantState(x.DepartmentCode, x.DueDate))], state.Status),
            Status = CaseStatus.ParallelReview,
        },
        ParallelOpinionGiven o => Answer(state, o.DepartmentCode, o.Opinion, deemed: false),
        ParallelConsentDeemed d => Answer(state, d.DepartmentCode, ParallelOpinion.Agree, deemed: true),
        CaseSuspended s => state with { Status = CaseStatus.Suspended, OpenSuspension = s },
        CaseResumed r => state with
        {
            Status = state.OpenSuspension!.StatusBefore is var before
                     && before == CaseStatus.ParallelReview && state.Parallel is { Complete: true } ? CaseStatus.InReview : before,
            OpenSuspension = null, StoppedDays = state.StoppedDays + r.StoppedWorkingDays,
            PromisedDeadline = r.PromisedDeadline, StatutoryDeadline = r.StatutoryDeadline,
        },
        DeadlineExtended x => state with { ExtensionUsed = true, PromisedDeadline = x.PromisedDeadline, StatutoryDeadline = x.StatutoryDeadline },
        LicenceIssued => state with { Status = state.Status == CaseStatus.Revoked ? state.Status : CaseStatus.Licensed, HasLicence = true },
        LicenceDelivered => state with { Status = CaseStatus.Delivered },
        CaseWithdrawn => state with { Status = CaseStatus.Withdrawn },
        CaseTransferred => state with { Status = CaseStatus.Transferred },
        PostCheckRecorded => state with { PostCheckDone = true },
        LicenceRevoked => state with { Status = CaseStatus.Revoked },
        PromisedDeadlinePassed => state with { PromisedPassed = true },
        StatutoryDeadlinePassed => state with { StatutoryPassed = true },
        ICaseFeeEvent f => state with { Fees = CaseFees.Evolve(state.Fees, f) },
        ICaseRatingEvent r => state with { Ratings = CaseRatings.Evolve(state.Ratings, r) },
        _ => state,
    };

    private static Case Answer(Case state, string department, ParallelOpinion opinion, bool deemed)
    {
        var p = state.Parallel!;
        var participants = p.Participants.Select(x => x.DepartmentCode == department ? x with { Opinion = opinion, Deemed = deemed } : x).ToImmutableList();
        var next = p with { Participants = participants };
        var status = state.Status == CaseStatus.ParallelReview && next.Complete ? p.StatusBefore : state.Status;
        // Leaving parallel review returns to review; a case accepted but unsigned is "in review" from then on.
        if (status == CaseStatus.Accepted && next.Complete) status = CaseStatus.InReview;
        return state with { Parallel = next, Status = status };
    }
}
