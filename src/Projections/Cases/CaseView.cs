using System.Collections.Immutable;
using GovEvents.Domain.Cases;
using GovEvents.Store;

namespace GovEvents.Projections.Cases;

public sealed record SignatureView(string Tier, string SignerId, string Opinion, string Comment, bool OnSite, string? DelegationId, bool AsLeader, DateTimeOffset SignedAt);
public sealed record ParticipantView(string DepartmentCode, DateOnly DueDate, string? Opinion, bool Deemed);
public sealed record ParallelReviewView(string LeadDepartmentCode, ImmutableList<ParticipantView> Participants);
public sealed record SuspensionView(string Reason, string ReasonName, string LegalBasis, bool CountsTowardLimit, int ExpectedDays, string ApprovedBy,
    DateTimeOffset SuspendedAt, DateOnly SuspendedOn, DateTimeOffset? ResumedAt, int StoppedWorkingDays);
public sealed record LicenceView(string LicenceNumber, DateOnly? ValidUntil, DateTimeOffset IssuedAt, DateTimeOffset? DeliveredAt, string? DeliveryMethod, DateTimeOffset? RevokedAt);
public sealed record DeferredView(string Material, DateOnly DueDate, bool Delivered);

/// <summary>
/// The case view of `GET /api/cases/{id}`, and the row of the work queue. Built only from events;
/// what depends on "now" (light, working days used so far) is computed when read.
/// </summary>
public sealed record CaseView
{
    public string Id { get; init; } = "";
    public string CaseNumber { get; init; } = "";
    /// <summary>The public lookup's query code, salted and hashed: never in clear.</summary>
    public QueryCodeHash? QueryCodeHash { get; init; }
    public string MatterCode { get; init; } = "";
    public string MatterName { get; init; } = "";
    public int MatterVersion { get; init; }
    public string DepartmentCode { get; init; } = "";
    public string? WindowCode { get; init; }
    public string Status { get; init; } = "submitted";
    public Applicant Applicant { get; init; } = null!;
    public string? AgentStaffId { get; init; }
    /// <summary>Who submitted: the applicant's subject, or the agent/clerk acting for them.</summary>
    public string? SubmittedBy { get; init; }
    public string Channel { get; init; } = "";
    public ImmutableList<string> Materials { get; init; } = [];
    public ImmutableList<DeferredView> Deferred { get; init; } = [];
    public DateTimeOffset ReceivedAt { get; init; }
    public DateOnly ReceivedDate { get; init; }
    public DateTimeOffset? AcceptedAt { get; init; }
    public bool DeemedAccepted { get; init; }
    public DateOnly? ClockStart { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
    public string? Outcome { get; init; }
    public DateOnly? PromisedDeadline { get; init; }
    public DateOnly? StatutoryDeadline { get; init; }
    public int StatutoryDays { get; init; }
    public int PromisedDays { get; init; }
    public bool Instant { get; init; }
    public bool Commitment { get; init; }
    public int SuspendedDays { get; init; }
    public int? ExtensionDays { get; init; }
    public DateOnly? LicenceDueDate { get; init; }
    public DateOnly? PostCheckDueDate { get; init; }
    public string? PostCheckOutcome { get; init; }
    public string? TransferredTo { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public ImmutableList<SignatureView> Signatures { get; init; } = [];
    public ParallelReviewView? ParallelReview { get; init; }
    public ImmutableList<SuspensionView> Suspensions { get; init; } = [];
    public FeesView Fees { get; init; } = FeesView.None;
    public ImmutableList<RatingView> Ratings { get; init; } = [];
    public LicenceView? Licence { get; init; }
    /// <summary>Staff who acted on the case (for the work queue's staffId filter).</summary>
    public ImmutableSortedSet<string> StaffIds { get; init; } = [];
    public int Version { get; init; }
    /// <summary>The status a resumption returns to.</summary>
    public string? StatusBeforeSuspension { get; init; }

    /// <summary>When a 市县转接 sent the case to the deciding hall: it is no longer handled here, but not closed.</summary>
    public DateTimeOffset? TransferredAt { get; init; }

    /// <summary>The closed statuses of API.md; a transferred case is not closed (it is decided elsewhere).</summary>
    private static readonly ImmutableHashSet<string> ClosedStatuses =
        ["delivered", "denied", "not-accepted", "withdrawn", "terminated", "revoked"];

    public bool IsClosed => ClosedStatuses.Contains(Status);

    /// <summary>Closed, or transferred to the deciding hall: this hall's clock no longer runs on it.</summary>
    public bool IsOutOfHand => IsClosed || Status == "transferred";
}

/// <summary>Create/Apply for <see cref="CaseView"/>: deterministic, time from the events.</summary>
public static class CaseViewBuilder
{
    /// <summary>The receipt instant of a deemed acceptance: the submission's, or the start of the day the supplement completed it.</summary>
    private static DateTimeOffset ReceiptOf(CaseView view, DateOnly effective) =>
        effective == view.ReceivedDate ? view.ReceivedAt : new DateTimeOffset(effective.ToDateTime(TimeOnly.MinValue), view.ReceivedAt.Offset);

    public static CaseView? Apply(CaseView? view, StoredEvent stored)
    {
        var next = Apply(view, EventReading.Data(stored.Data, stored.Metadata));
        if (next is null) return null;
        var staff = stored.Metadata is { ActorKind: ActorKind.Staff, ActorId: { } actor } ? next.StaffIds.Add(actor) : next.StaffIds;
        return next with { Version = stored.Version, StaffIds = staff };
    }

    private static CaseView? Apply(CaseView? view, object e)
    {
        if (e is CaseSubmitted s)
        {
            return new CaseView
            {
                Id = s.CaseId, CaseNumber = s.CaseNumber, QueryCodeHash = s.QueryCodeHash, MatterCode = s.Matter.Code, MatterName = s.Matter.Name,
                MatterVersion = s.MatterVersion, DepartmentCode = s.Matter.DepartmentCode, WindowCode = s.WindowCode,
                Applicant = s.Applicant, AgentStaffId = s.AgentStaffId, SubmittedBy = s.SubmittedBy, Channel = Kebab(s.Channel),
                Materials = [.. s.Materials], ReceivedAt = s.ReceivedAt, ReceivedDate = s.ReceivedDate,
                StatutoryDays = s.Matter.StatutoryDays, PromisedDays = s.Matter.PromisedDays, Commitment = s.CommitmentSigned,
            };
        }
        if (view is null) return null;
        return e switch
        {
            SupplementRequested => view with { Status = "supplementing" },
            MaterialsSupplemented m => view with
            {
                Materials = [.. view.Materials.Union(m.Materials)],
                Deferred = [.. view.Deferred.Select(d => m.Materials.Contains(d.Material) ? d with { Delivered = true } : d)],
                Status = view.Status == "supplementing" ? "submitted" : view.Status,
            },
            CaseAccepted a => view with
            {
                Status = "accepted", AcceptedAt = a.AcceptedAt, ClockStart = a.ClockStart,
                PromisedDeadline = a.PromisedDeadline, StatutoryDeadline = a.StatutoryDeadline,
                Deferred = [.. a.Deferred.Select(d => new DeferredView(d.Material, d.DueDate, false))],
            },
            CaseDeemedAccepted d => view with
            {
                // Effective from the day the complete application was received (ALL art. 32), not from when it was recorded.
                Status = "accepted", AcceptedAt = ReceiptOf(view, d.EffectiveDate), DeemedAccepted = true, ClockStart = d.EffectiveDate,
                PromisedDeadline = d.PromisedDeadline, StatutoryDeadline = d.StatutoryDeadline,
            },
            CaseNotAccepted n => view with { Status = "not-accepted", ClosedAt = n.DecidedAt },
            SignatureRecorded g => view with
            {
                Status = view.Status == "accepted" ? "in-review" : view.Status,
                Signatures = view.Signatures.Add(new SignatureView(Kebab(g.Tier), g.SignerId, Kebab(g.Opinion), g.Comment, g.OnSite, g.DelegationId, g.AsLeader, g.SignedAt)),
            },
            CaseApproved a => view with
            {
                Status = "approved", Outcome = "approved", DecidedAt = a.DecidedAt, LicenceDueDate = a.LicenceDueDate,
                PostCheckDueDate = a.PostCheckDueDate, Instant = a.Route == ApprovalRoute.InstantApproval,
                Fees = CaseFeesView.Approved(view.Fees),
            },
            CaseDenied d => view with { Status = "denied", Outcome = "denied", DecidedAt = d.DecidedAt, ClosedAt = d.DecidedAt },
            ParallelReviewStarted p => view with
            {
                Status = "parallel-review",
                ParallelReview = new ParallelReviewView(p.LeadDepartmentCode, [.. p.Participants.Select(x => new ParticipantView(x.DepartmentCode, x.DueDate, null, false))]),
            },
            ParallelOpinionGiven o => Answer(view, o.DepartmentCode, Kebab(o.Opinion), false),
            ParallelConsentDeemed d => Answer(view, d.DepartmentCode, "agree", true),
            CaseSuspended x => view with
            {
                Status = "suspended", StatusBeforeSuspension = view.Status,
                Suspensions = view.Suspensions.Add(new SuspensionView(x.Reason, x.ReasonName, x.LegalBasis, x.CountsTowardLimit, x.ExpectedDays, x.ApprovedBy, x.SuspendedAt, x.SuspendedOn, null, 0)),
            },
            CaseResumed r => Resume(view, r),
            DeadlineExtended x => view with { ExtensionDays = x.Days, PromisedDeadline = x.PromisedDeadline, StatutoryDeadline = x.StatutoryDeadline },
            LicenceIssued l => view with
            {
                Status = view.Status == "revoked" ? view.Status : "licensed",
                Licence = new LicenceView(l.LicenceNumber, l.ValidUntil, l.IssuedAt, null, null, view.Licence?.RevokedAt),
            },
            LicenceDelivered d => view with
            {
                Status = "delivered", ClosedAt = d.DeliveredAt,
                Licence = view.Licence! with { DeliveredAt = d.DeliveredAt, DeliveryMethod = Kebab(d.Method) },
            },
            CaseWithdrawn w => view with { Status = "withdrawn", ClosedAt = w.WithdrawnAt },
            CaseTransferred t => view with { Status = "transferred", TransferredTo = t.ToHall, TransferredAt = t.TransferredAt },
            PostCheckRecorded p => view with { PostCheckOutcome = Kebab(p.Outcome) },
            ICaseFeeEvent f => view with { Fees = CaseFeesView.Apply(view.Fees, f) },
            ICaseRatingEvent r => view with { Ratings = CaseRatingsView.Apply(view.Ratings, r) },
            LicenceRevoked r => view with
            {
                Status = "revoked", ClosedAt = r.RevokedAt,
                Licence = view.Licence is null ? null : view.Licence with { RevokedAt = r.RevokedAt },
            },
            _ => view,
        };
    }

    private static CaseView Answer(CaseView view, string department, string opinion, bool deemed)
    {
        var review = view.ParallelReview!;
        var participants = review.Participants.Select(p => p.DepartmentCode == department ? p with { Opinion = opinion, Deemed = deemed } : p).ToImmutableList();
        var complete = participants.All(p => p.Opinion is not null);
        var status = view.Status == "parallel-review" && complete ? "in-review" : view.Status;
        return view with { ParallelReview = review with { Participants = participants }, Status = status };
    }

    private static CaseView Resume(CaseView view, CaseResumed r)
    {
        var open = view.Suspensions[^1];
        var before = view.StatusBeforeSuspension ?? "in-review";
        if (before == "parallel-review" && view.ParallelReview!.Participants.All(p => p.Opinion is not null)) before = "in-review";
        return view with
        {
            Status = before, StatusBeforeSuspension = null,
            SuspendedDays = view.SuspendedDays + r.StoppedWorkingDays,
            PromisedDeadline = r.PromisedDeadline, StatutoryDeadline = r.StatutoryDeadline,
            Suspensions = view.Suspensions.SetItem(view.Suspensions.Count - 1, open with { ResumedAt = r.ResumedAt, StoppedWorkingDays = r.StoppedWorkingDays }),
        };
    }

    /// <summary>Enum values as the API's vocabulary spells them (kebab-case).</summary>
    public static string Kebab<T>(T value) where T : struct, Enum =>
        System.Text.RegularExpressions.Regex.Replace(value.ToString(), "([a-z])([A-Z])", "$1-$2").ToLowerInvariant();
}
