namespace GovEvents.Domain;

/// <summary>Why a command was refused: a stable rule code clients switch on, and words for people.</summary>
public sealed record Refusal(string Rule, string Detail);

/// <summary>The outcome of a decision: events to append (possibly none: already satisfied) or a refusal.</summary>
public sealed record Decision
{
    private Decision(IReadOnlyList<object> events, Refusal? refusal) { Events = events; Refusal = refusal; }

    public IReadOnlyList<object> Events { get; }
    public Refusal? Refusal { get; }
    public bool IsRefused => Refusal is not null;

    public static Decision Of(params object[] events) => new(events, null);
    public static Decision Of(IEnumerable<object> events) => new(events.ToList(), null);
    public static readonly Decision Nothing = new([], null);
    public static Decision Refuse(string rule, string detail) => new([], new Refusal(rule, detail));

    public static implicit operator Decision(Refusal refusal) => new([], refusal);
}

/// <summary>The refusal codes of the API contract (422 `rule`).</summary>
public static class Rules
{
    public const string MaterialsIncomplete = "materials-incomplete";
    public const string NoAuthority = "no-authority";
    public const string SameSigner = "same-signer";
    public const string TierOrder = "tier-order";
    public const string ReasonRequired = "reason-required";
    public const string LegalBasisRequired = "legal-basis-required";
    public const string InvalidState = "invalid-state";
    public const string AlreadyDecided = "already-decided";
    public const string ExtensionUsed = "extension-used";
    public const string ExtensionTooLong = "extension-too-long";
    public const string SuspensionReasonInvalid = "suspension-reason-invalid";
    public const string ParallelReviewPending = "parallel-review-pending";
    public const string MatterRevoked = "matter-revoked";
    public const string FeeNotPublished = "fee-not-published";
    public const string FeeNotReviewed = "fee-not-reviewed";
    public const string FeeAboveStandard = "fee-above-standard";
    public const string FeeNotLowerBound = "fee-not-lower-bound";
    public const string WaiverNeedsApproval = "waiver-needs-approval";
    public const string BalanceOpen = "balance-open";
    public const string RatingExists = "rating-exists";
    public const string SupplementAlreadyRequested = "supplement-already-requested";
    public const string RightsNoticeRequired = "rights-notice-required";
    public const string DelegationInvalid = "delegation-invalid";
    public const string PaymentExceedsBalance = "payment-exceeds-balance";
    public const string ReceiptDuplicate = "receipt-duplicate";
    public const string NotificationReplayed = "notification-replayed";
    public const string WaiverExceedsFee = "waiver-exceeds-fee";
    public const string RefundExceedsDue = "refund-exceeds-due";

    /// <summary>The thing addressed does not exist: the API's 404, never a 422.</summary>
    public const string NotFound = "not-found";

    // What was wrong, where a refusal is not a step out of order (invalid-state).
    public const string MatterUnknown = "matter-unknown";
    public const string MatterExists = "matter-exists";
    public const string MaterialUnknown = "material-unknown";
    public const string MaterialsRequired = "materials-required";
    public const string HallRequired = "hall-required";
    public const string ParallelReviewExists = "parallel-review-exists";
    public const string ParticipantsRequired = "participants-required";
    public const string OpinionDaysInvalid = "opinion-days-invalid";
    public const string ParticipantUnknown = "participant-unknown";
    public const string OpinionExists = "opinion-exists";
    public const string ExtensionNeedsApproval = "extension-needs-approval";
    public const string LicenceNumberRequired = "licence-number-required";
    public const string LicenceValidityPast = "licence-validity-past";
    public const string PostCheckNotApplicable = "post-check-not-applicable";
    public const string PostCheckExists = "post-check-exists";
    public const string FeeItemsRequired = "fee-items-required";
    public const string FeeItemDuplicate = "fee-item-duplicate";
    public const string FeeItemExists = "fee-item-exists";
    public const string FeeItemNotOnNotice = "fee-item-not-on-notice";
    public const string FeeNoticeLocked = "fee-notice-locked";
    public const string AmountInvalid = "amount-invalid";
    public const string ReceiptRequired = "receipt-required";
    public const string RefundNotDue = "refund-not-due";
    public const string RatingLevelInvalid = "rating-level-invalid";
    public const string RatingNotBad = "rating-not-bad";
    public const string CallbackExists = "callback-exists";
    public const string AppealExists = "appeal-exists";
    public const string ComplaintExists = "complaint-exists";
    public const string ContentRequired = "content-required";
    public const string TargetRequired = "target-required";
    public const string ComplainantContactRequired = "complainant-contact-required";
    public const string DepartmentRequired = "department-required";
    public const string DueDaysInvalid = "due-days-invalid";
    public const string ComplaintUnsubstantiated = "complaint-unsubstantiated";
    public const string ActionsRequired = "actions-required";
    public const string SatisfactionInvalid = "satisfaction-invalid";
    public const string PeriodInvalid = "period-invalid";
    public const string SampleSizeInvalid = "sample-size-invalid";
    public const string CaseNotInSample = "case-not-in-sample";
}
