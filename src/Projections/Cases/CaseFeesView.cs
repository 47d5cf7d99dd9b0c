using System.Collections.Immutable;
using GovEvents.Domain.Cases;

namespace GovEvents.Projections.Cases;

public sealed record FeeItemView(string FeeItemCode, string Name, string DepartmentCode, string LegalBasis, decimal Amount, decimal Waived);
public sealed record FeePaymentView(decimal Amount, string Channel, string ReceiptNumber, string PaidBy, DateTimeOffset PaidAt);
public sealed record OnlinePaymentView(decimal Amount, string ReceiptNumber, string StartedBy, DateTimeOffset StartedAt);
public sealed record FeeWaiverView(string FeeItemCode, decimal Amount, string ApprovalReference, string Reason, string WaivedBy, DateTimeOffset WaivedAt);
public sealed record FeeRefundView(decimal Amount, string Channel, string ReceiptNumber, string RefundedBy, DateTimeOffset RefundedAt);

/// <summary>
/// The case's fees (一费制): the contract's assessed, paid, waived and balance, and the notice behind
/// them. Once the case ends without approval the notice is cancelled: the balance is 0 and what was
/// paid is due back (refundDue, refunded).
/// </summary>
public sealed record FeesView(decimal Assessed, decimal Paid, decimal Waived, decimal Balance)
{
    /// <summary>
    /// No fees yet: a fresh instance each time. Never a shared static default: Newtonsoft populates
    /// a property's existing value in place when it reads a stored view, so a shared one would be
    /// overwritten with one case's fees and leak them into every other.
    /// </summary>
    public static FeesView None => new(0, 0, 0, 0);

    public string? NoticeNumber { get; init; }
    public DateTimeOffset? AssessedAt { get; init; }
    public bool Cancelled { get; init; }
    public decimal RefundDue { get; init; }
    public decimal Refunded { get; init; }
    /// <summary>A system approval (秒批, 告知承诺) is waiting for the notice to be settled.</summary>
    public bool ApprovalAwaitingPayment { get; init; }
    public ImmutableList<FeeItemView> Items { get; init; } = [];
    public ImmutableList<FeePaymentView> Payments { get; init; } = [];
    /// <summary>Online payments started by the applicant, not yet confirmed by the channel (not in <see cref="Paid"/>).</summary>
    public ImmutableList<OnlinePaymentView> PaymentsStarted { get; init; } = [];
    public ImmutableList<FeeWaiverView> Waivers { get; init; } = [];
    public ImmutableList<FeeRefundView> Refunds { get; init; } = [];
}

public static class CaseFeesView
{
    public static FeesView Apply(FeesView v, ICaseFeeEvent e) => Balanced(e switch
    {
        FeesAssessed a => v with
        {
            Assessed = a.Total, NoticeNumber = a.NoticeNumber, AssessedAt = a.AssessedAt,
            Items = [.. a.Items.Select(i => new FeeItemView(i.FeeItemCode, i.Name, i.DepartmentCode, i.LegalBasis, i.Amount, 0m))],
        },
        FeePaid p => v with
        {
            Paid = v.Paid + p.Amount,
            Payments = v.Payments.Add(new FeePaymentView(p.Amount, CaseViewBuilder.Kebab(p.Channel), p.ReceiptNumber, p.PaidBy, p.PaidAt)),
            PaymentsStarted = v.PaymentsStarted.RemoveAll(s => s.ReceiptNumber == p.ReceiptNumber),
        },
        OnlinePaymentStarted s => v with { PaymentsStarted = v.PaymentsStarted.Add(new OnlinePaymentView(s.Amount, s.ReceiptNumber, s.StartedBy, s.StartedAt)) },
        FeeWaived w => v with
        {
            Waived = v.Waived + w.Amount,
            Items = [.. v.Items.Select(i => i.FeeItemCode == w.FeeItemCode ? i with { Waived = i.Waived + w.Amount } : i)],
            Waivers = v.Waivers.Add(new FeeWaiverView(w.FeeItemCode, w.Amount, w.ApprovalReference, w.Reason, w.WaivedBy, w.WaivedAt)),
        },
        FeeNoticeCancelled => v with { Cancelled = true },
        FeeRefundDue d => v with { RefundDue = v.RefundDue + d.Amount },
        FeeRefunded r => v with
        {
            Refunded = v.Refunded + r.Amount,
            Refunds = v.Refunds.Add(new FeeRefundView(r.Amount, CaseViewBuilder.Kebab(r.Channel), r.ReceiptNumber, r.RefundedBy, r.RefundedAt)),
        },
        ApprovalAwaitingFees => v with { ApprovalAwaitingPayment = true },
        _ => v,
    });

    private static FeesView Balanced(FeesView v) => v with { Balance = v.Cancelled ? 0m : v.Assessed - v.Paid - v.Waived };

    /// <summary>A system approval that waited has happened: nothing awaits payment any more.</summary>
    public static FeesView Approved(FeesView v) => v.ApprovalAwaitingPayment ? v with { ApprovalAwaitingPayment = false } : v;
}
