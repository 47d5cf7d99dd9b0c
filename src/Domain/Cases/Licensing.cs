namespace GovEvents.Domain.Cases;

/// <summary>After the decision: the licence, its delivery, and the commitment post-check.</summary>
public static partial class CaseDecider
{
    public static Decision IssueLicence(Case state, IssueLicence c, CaseClock clock)
    {
        if (state.Status != CaseStatus.Approved) return InvalidState(state, "issue a licence for");
        if (string.IsNullOrWhiteSpace(c.LicenceNumber)) return Decision.Refuse(Rules.LicenceNumberRequired, "A licence needs its number.");
        if (c.ValidUntil is { } until && until <= clock.Today) return Decision.Refuse(Rules.LicenceValidityPast, "A licence is valid until a future date.");
        return Decision.Of(new LicenceIssued(state.Id, c.LicenceNumber, c.ValidUntil, clock.Now));
    }

    public static Decision Deliver(Case state, DeliverLicence c, CaseClock clock) =>
        state.Status == CaseStatus.Licensed
            ? Decision.Of(new LicenceDelivered(state.Id, c.Method, clock.Now))
            : InvalidState(state, "deliver the licence of");

    /// <summary>告知承诺 post-check: a false commitment revokes the licence.</summary>
    public static Decision RecordPostCheck(Case state, RecordPostCheck c, CaseClock clock)
    {
        if (state.PostCheckDueDate is null) return Decision.Refuse(Rules.PostCheckNotApplicable, "Only a case approved on commitment has a post-check.");
        if (state.PostCheckDone) return Decision.Refuse(Rules.PostCheckExists, "The post-check is already recorded.");
        if (state.Status == CaseStatus.Revoked) return InvalidState(state, "post-check");
        var check = new PostCheckRecorded(state.Id, c.Outcome, c.Note ?? "", clock.Now);
        return c.Outcome == PostCheckOutcome.False
            ? Decision.Of(check, new LicenceRevoked(state.Id, "false commitment found at the post-check", clock.Now))
            : Decision.Of(check);
    }

    /// <summary>Timer: a 容缺 material still missing after its due date is recorded (and flagged).</summary>
    public static Decision FlagDeferredOverdue(Case state, string material, CaseClock clock) =>
        state.Deferred.FirstOrDefault(d => d.Material == material) is { } d && clock.Today > d.DueDate && !state.Closed
            ? Decision.Of(new DeferredMaterialOverdue(state.Id, material, d.DueDate, clock.Now))
            : Decision.Nothing;

    /// <summary>Timer: a commitment post-check not done by its due date is recorded (and flagged).</summary>
    public static Decision FlagPostCheckOverdue(Case state, CaseClock clock) =>
        state.PostCheckDueDate is { } due && !state.PostCheckDone && state.Status != CaseStatus.Revoked && clock.Today > due
            ? Decision.Of(new PostCheckOverdue(state.Id, due, clock.Now))
            : Decision.Nothing;
}
