using GovEvents.Domain.Catalogue;

namespace GovEvents.Domain.Cases;

/// <summary>Receiving, completing and accepting (or not) an application: ALL art. 29–32.</summary>
public static partial class CaseDecider
{
    /// <summary>Working days within which the office must ask for supplements or accept (ALL art. 32).</summary>
    public const int AcceptanceWindowDays = 5;

    /// <summary>Who decides an instant approval (秒批): the system, by the matter's rule.</summary>
    public const string SystemActor = "system";

    public static Decision Submit(SubmitCase c, CaseClock clock)
    {
        if (c.Matter.Definition is null) return Decision.Refuse(Rules.MatterUnknown, "No such matter in the catalogue.");
        if (c.Matter.Revoked) return Decision.Refuse(Rules.MatterRevoked, $"Matter {c.Matter.Definition.Code} is revoked and takes no new applications.");
        var m = c.Matter.Definition;
        var unknown = c.Materials.Except(m.Materials.Select(x => x.Code)).ToList();
        if (unknown.Count > 0) return Decision.Refuse(Rules.MaterialUnknown, $"Materials not required by {m.Code}: {string.Join(", ", unknown)}.");

        var submitted = new CaseSubmitted(c.CaseId, c.CaseNumber, c.QueryCodeHash, c.Matter.Version, m, c.Applicant, c.Channel,
            c.Materials.Distinct().ToList(), c.AgentStaffId, c.SubmittedBy, c.CommitmentSigned && m.Commitment is not null, c.WindowCode,
            clock.Now, clock.Today, AcceptanceDueDate(clock.Today, clock.Calendar));

        // 秒批: a complete application of an instant-approval matter is decided by the system at once.
        if (m.InstantApproval && MissingMandatory(m, submitted.Materials).Count == 0)
        {
            var accepted = Accepted(Case.Evolve(Case.Initial, submitted), [], clock);
            // A matter with fees is approved by the system once its notice is settled (rule 6).
            if (m.FeeItemCodes.Count > 0)
                return Decision.Of(submitted, accepted, new ApprovalAwaitingFees(c.CaseId, SystemActor, ApprovalRoute.InstantApproval,
                    $"instant-approval rule {m.Code}@v{c.Matter.Version}", IssueLicence: true, PostCheckDays: null, clock.Now));
            return Decision.Of(submitted, accepted,
                new CaseApproved(c.CaseId, SystemActor, ApprovalRoute.InstantApproval, $"instant-approval rule {m.Code}@v{c.Matter.Version}",
                    clock.Calendar.AddWorkingDays(clock.Today, LicenceDays), null, clock.Now),
                new LicenceIssued(c.CaseId, $"{c.CaseNumber}-L", null, clock.Now));
        }
        return Decision.Of(submitted);
    }

    /// <summary>一次性告知: one request naming every missing material; a later one naming others is flagged.</summary>
    public static Decision RequestSupplement(Case state, RequestSupplement c, CaseClock clock)
    {
        if (!state.AwaitingAcceptance) return InvalidState(state, "ask for supplements");
        if (c.Materials.Count == 0) return Decision.Refuse(Rules.MaterialsIncomplete, "Name the materials to supplement.");
        var unknown = c.Materials.Except(state.Matter.Materials.Select(m => m.Code)).ToList();
        if (unknown.Count > 0) return Decision.Refuse(Rules.MaterialUnknown, $"Materials not required by the matter: {string.Join(", ", unknown)}.");
        var repeated = state.FirstSupplementRequest is { } first && c.Materials.Except(first).Any();
        var late = clock.Calendar.WorkingDaysBetween(state.ReceivedDate, clock.Today) > AcceptanceWindowDays;
        return Decision.Of(new SupplementRequested(state.Id, c.Materials.Distinct().ToList(), c.Note ?? "", repeated, late, clock.Now));
    }

    public static Decision Supplement(Case state, Supplement c, CaseClock clock)
    {
        if (!state.Exists || state.Closed || state.Decided && !state.Deferred.Any()) return InvalidState(state, "take supplements");
        var unknown = c.Materials.Except(state.Matter.Materials.Select(m => m.Code)).ToList();
        if (c.Materials.Count == 0) return Decision.Refuse(Rules.MaterialsRequired, "Name the materials supplemented.");
        if (unknown.Count > 0) return Decision.Refuse(Rules.MaterialUnknown, $"Materials not required by the matter: {string.Join(", ", unknown)}.");
        var fresh = c.Materials.Where(m => !state.Materials.Contains(m)).Distinct().ToList();
        return fresh.Count == 0 && state.Status != CaseStatus.Supplementing
            ? Decision.Nothing
            : Decision.Of(new MaterialsSupplemented(state.Id, c.Materials.Distinct().ToList(), clock.Today,
                state.Status == CaseStatus.Supplementing ? AcceptanceDueDate(clock.Today, clock.Calendar) : null, clock.Now));
    }

    /// <summary>Acceptance needs every mandatory material, or the missing ones deferred (容缺) with a due date.</summary>
    public static Decision Accept(Case state, AcceptCase c, CaseClock clock)
    {
        if (!state.AwaitingAcceptance) return InvalidState(state, "accept");
        var missing = MissingMandatory(state.Matter, state.Materials);
        var deferred = c.Deferred ?? [];
        var notDeferrable = deferred.Where(d => state.Matter.Materials.FirstOrDefault(m => m.Code == d.Material) is not { Deferrable: true }).ToList();
        if (notDeferrable.Count > 0)
            return Decision.Refuse(Rules.MaterialsIncomplete, $"Not deferrable: {string.Join(", ", notDeferrable.Select(d => d.Material))}.");
        if (deferred.Any(d => d.DueDate <= clock.Today))
            return Decision.Refuse(Rules.MaterialsIncomplete, "A deferred material is due after today.");
        var uncovered = missing.Except(deferred.Select(d => d.Material)).ToList();
        if (uncovered.Count > 0)
            return Decision.Refuse(Rules.MaterialsIncomplete, $"Missing mandatory materials: {string.Join(", ", uncovered)}.");

        var accepted = Accepted(state, deferred.Where(d => missing.Contains(d.Material)).ToList(), clock);
        return CommitmentApproval(state, clock) is { } approval ? Decision.Of(accepted, approval) : Decision.Of(accepted);
    }

    /// <summary>
    /// 告知承诺: a signed commitment is approved on acceptance (given or deemed); its post-check
    /// comes later. A matter with fees is approved by the system once its notice is settled (rule 6).
    /// </summary>
    private static object? CommitmentApproval(Case state, CaseClock clock) =>
        state.CommitmentSigned && state.Matter.Commitment is { } commitment
            ? state.Matter.FeeItemCodes.Count > 0
                ? new ApprovalAwaitingFees(state.Id, "commitment", ApprovalRoute.Commitment, "notification-commitment", IssueLicence: false, commitment.PostCheckDays, clock.Now)
                : new CaseApproved(state.Id, "commitment", ApprovalRoute.Commitment, "notification-commitment",
                    clock.Calendar.AddWorkingDays(clock.Today, LicenceDays),
                    clock.Calendar.AddWorkingDays(clock.Today, commitment.PostCheckDays), clock.Now)
            : null;

    /// <summary>
    /// The clock starts on the day of acceptance; an acceptance after the 5-day window counts from
    /// receipt, as a deemed one would (ALL art. 32): the office's delay is not the applicant's.
    /// </summary>
    private static CaseAccepted Accepted(Case state, IReadOnlyList<DeferredMaterial> deferred, CaseClock clock)
    {
        var start = clock.Today > state.AcceptanceDueDate ? state.AcceptanceWindowFrom : clock.Today;
        return new(state.Id, deferred, start,
            clock.Calendar.AddWorkingDays(start, state.Matter.PromisedDays),
            clock.Calendar.AddWorkingDays(start, state.Matter.StatutoryDays), clock.Now);
    }

    public static Decision RefuseAcceptance(Case state, RefuseAcceptance c, CaseClock clock)
    {
        if (!state.AwaitingAcceptance) return InvalidState(state, "refuse acceptance");
        if (string.IsNullOrWhiteSpace(c.Reason)) return Decision.Refuse(Rules.ReasonRequired, "Non-acceptance states its reason.");
        if (string.IsNullOrWhiteSpace(c.LegalBasis)) return Decision.Refuse(Rules.LegalBasisRequired, "Non-acceptance states its legal basis.");
        return Decision.Of(new CaseNotAccepted(state.Id, c.Reason, c.LegalBasis, clock.Now));
    }

    /// <summary>
    /// The acceptance window's last day: 5 working days after receipt (or after the last supplement,
    /// once one was asked for). Past its end the case is deemed accepted.
    /// </summary>
    public static DateOnly AcceptanceDueDate(DateOnly from, Time.WorkingCalendar calendar) => calendar.AddWorkingDays(from, AcceptanceWindowDays);

    /// <summary>
    /// Timer: five working days passed without an answer; accepted from the day of receipt (or of
    /// the supplement that completed the application).
    /// </summary>
    public static Decision DeemAccepted(Case state, CaseClock clock)
    {
        if (state.Status != CaseStatus.Submitted) return Decision.Nothing;
        if (clock.Today <= state.AcceptanceDueDate) return Decision.Nothing;
        var start = state.AcceptanceWindowFrom;
        var deemed = new CaseDeemedAccepted(state.Id, start,
            clock.Calendar.AddWorkingDays(start, state.Matter.PromisedDays),
            clock.Calendar.AddWorkingDays(start, state.Matter.StatutoryDays), clock.Now);
        return CommitmentApproval(state, clock) is { } approval ? Decision.Of(deemed, approval) : Decision.Of(deemed);
    }

    public static Decision Withdraw(Case state, WithdrawCase c, CaseClock clock)
    {
        if (state.Decided) return Decision.Refuse(Rules.AlreadyDecided, "A decided case cannot be withdrawn.");
        if (state.Closed || !state.Exists) return InvalidState(state, "withdraw");
        if (string.IsNullOrWhiteSpace(c.Reason)) return Decision.Refuse(Rules.ReasonRequired, "A withdrawal states its reason.");
        return Decision.Of([new CaseWithdrawn(state.Id, c.Reason, clock.Now), .. CancelFees(state, FeeCancelCause.Withdrawn, clock)]);
    }

    /// <summary>市县转接: a lower level's preliminary review goes to the deciding hall with every material.</summary>
    public static Decision Transfer(Case state, TransferCase c, CaseClock clock)
    {
        if (state.Decided) return Decision.Refuse(Rules.AlreadyDecided, "A decided case is not transferred.");
        if (!state.UnderReview) return InvalidState(state, "transfer");
        if (string.IsNullOrWhiteSpace(c.ToHall)) return Decision.Refuse(Rules.HallRequired, "Name the hall the case goes to.");
        if (string.IsNullOrWhiteSpace(c.Reason)) return Decision.Refuse(Rules.ReasonRequired, "A transfer states its reason.");
        return Decision.Of(new CaseTransferred(state.Id, c.ToHall, c.Reason, [.. state.Materials.Order()], clock.Now));
    }

    internal static IReadOnlyList<string> MissingMandatory(MatterDefinition m, IEnumerable<string> present)
    {
        var have = present.ToHashSet();
        return m.Materials.Where(x => x.Mandatory && !have.Contains(x.Code)).Select(x => x.Code).ToList();
    }

    internal static Decision InvalidState(Case state, string what) =>
        !state.Exists
            ? Decision.Refuse(Rules.NotFound, "No such case.")
            : state.Decided && what is "approve" or "deny" or "sign"
                ? Decision.Refuse(Rules.AlreadyDecided, "The case is already decided.")
                : Decision.Refuse(Rules.InvalidState, $"Cannot {what} a case that is {Kebab(state.Status)}.");

    public static string Kebab(CaseStatus status) => status switch
    {
        CaseStatus.InReview => "in-review",
        CaseStatus.ParallelReview => "parallel-review",
        CaseStatus.NotAccepted => "not-accepted",
        _ => status.ToString().ToLowerInvariant(),
    };
}
