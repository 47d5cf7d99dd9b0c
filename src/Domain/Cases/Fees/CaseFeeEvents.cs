namespace GovEvents.Domain.Cases;

public enum PaymentChannel { Window, Online }
public enum FeeCancelCause { Withdrawn, Denied }

/// <summary>An event of the case's fees (一费制), folded by <see cref="CaseFees.Evolve"/>.</summary>
public interface ICaseFeeEvent : ICaseEvent;

/// <summary>One item of the payment notice, as the catalogue stood when it was assessed.</summary>
public sealed record AssessedFee(string FeeItemCode, string Name, string DepartmentCode, string LegalBasis, decimal Amount);

/// <summary>
/// 一费制: the one payment notice of the case, listing every assessed item of every department.
/// A later notice (only while nothing is paid or waived) replaces it entirely.
/// </summary>
public sealed record FeesAssessed(
    string CaseId, string NoticeNumber, IReadOnlyList<AssessedFee> Items, decimal Total, string? Supersedes,
    string AssessedBy, DateTimeOffset AssessedAt) : ICaseFeeEvent;

/// <summary>
/// Paid at the unified fee window (cashier) or through the unified online payment channel, with its receipt.
/// An online payment is recorded only on the channel's signed notification, never on the payer's word.
/// </summary>
public sealed record FeePaid(
    string CaseId, decimal Amount, PaymentChannel Channel, string ReceiptNumber, string PaidBy, DateTimeOffset PaidAt) : ICaseFeeEvent;

/// <summary>
/// The applicant started paying through the unified online payment channel (the channel's order number
/// as <paramref name="ReceiptNumber"/>): nothing is paid until the channel's signed notification confirms it.
/// </summary>
public sealed record OnlinePaymentStarted(string CaseId, decimal Amount, string ReceiptNumber, string StartedBy, DateTimeOffset StartedAt) : ICaseFeeEvent;

/// <summary>A reduction or waiver (减免) of one item, only on an approval; flagged for supervision.</summary>
public sealed record FeeWaived(
    string CaseId, string FeeItemCode, decimal Amount, string ApprovalReference, string Reason, string WaivedBy,
    DateTimeOffset WaivedAt) : ICaseFeeEvent;

/// <summary>
/// The case ended without approval (withdrawn or denied): the notice no longer binds; what was
/// still outstanding is not owed, what was paid is due back.
/// </summary>
public sealed record FeeNoticeCancelled(
    string CaseId, string NoticeNumber, FeeCancelCause Cause, decimal Outstanding, decimal RefundDue, DateTimeOffset CancelledAt) : ICaseFeeEvent;

/// <summary>System record: money paid on a withdrawn or denied case is due back to the applicant.</summary>
public sealed record FeeRefundDue(string CaseId, decimal Amount, FeeCancelCause Cause, DateTimeOffset RecordedAt) : ICaseFeeEvent;

/// <summary>The unified fee window paid a refund back, with its receipt.</summary>
public sealed record FeeRefunded(
    string CaseId, decimal Amount, PaymentChannel Channel, string ReceiptNumber, string RefundedBy, DateTimeOffset RefundedAt) : ICaseFeeEvent;

/// <summary>
/// A system approval (秒批 or 告知承诺) waits for the case's fees: rule 6 allows no approval while
/// assessed fees are open. The system approves once the notice is settled.
/// </summary>
public sealed record ApprovalAwaitingFees(
    string CaseId, string DecidedBy, ApprovalRoute Route, string Basis, bool IssueLicence, int? PostCheckDays, DateTimeOffset RecordedAt) : ICaseFeeEvent;

/// <summary>Stable storage names of these events, never the CLR names: renaming a type keeps what is stored.</summary>
public static class CaseFeeEventNames
{
    public static readonly IReadOnlyList<(Type Type, string Name)> All =
    [
        (typeof(FeesAssessed), "fees_assessed"),
        (typeof(FeePaid), "fee_paid"),
        (typeof(OnlinePaymentStarted), "online_payment_started"),
        (typeof(FeeWaived), "fee_waived"),
        (typeof(FeeNoticeCancelled), "fee_notice_cancelled"),
        (typeof(FeeRefundDue), "fee_refund_due"),
        (typeof(FeeRefunded), "fee_refunded"),
        (typeof(ApprovalAwaitingFees), "approval_awaiting_fees"),
    ];
}
