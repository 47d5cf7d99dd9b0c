using System.Collections.Immutable;

namespace GovEvents.Domain.Cases;

/// <summary>The case's fees as decisions need them: the payment notice, what was paid, waived and is due back.</summary>
public sealed record CaseFees
{
    public static readonly CaseFees None = new();

    public string? NoticeNumber { get; init; }
    public int Notices { get; init; }
    public ImmutableList<AssessedFee> Items { get; init; } = [];
    public decimal Assessed { get; init; }
    public decimal Paid { get; init; }
    public decimal Waived { get; init; }
    public ImmutableDictionary<string, decimal> WaivedByItem { get; init; } = ImmutableDictionary<string, decimal>.Empty;
    /// <summary>Payments by receipt number: receipt numbers are unique within a case.</summary>
    public ImmutableDictionary<string, FeePaid> Receipts { get; init; } = ImmutableDictionary<string, FeePaid>.Empty;
    /// <summary>Online payments the applicant started and the channel has not confirmed yet, by order number.</summary>
    public ImmutableDictionary<string, OnlinePaymentStarted> Started { get; init; } = ImmutableDictionary<string, OnlinePaymentStarted>.Empty;
    public ImmutableDictionary<string, FeeRefunded> RefundReceipts { get; init; } = ImmutableDictionary<string, FeeRefunded>.Empty;
    /// <summary>The case ended without approval: nothing more is owed.</summary>
    public bool Cancelled { get; init; }
    public decimal RefundDue { get; init; }
    public decimal Refunded { get; init; }
    /// <summary>A system approval (秒批, 告知承诺) waiting for the notice to be settled.</summary>
    public ApprovalAwaitingFees? PendingApproval { get; init; }

    public bool HasNotice => NoticeNumber is not null;
    public decimal Balance => Cancelled ? 0m : Assessed - Paid - Waived;
    /// <summary>Hard rule 6: assessed fees unpaid and not waived.</summary>
    public bool Open => Balance > 0m;
    public decimal RefundOutstanding => RefundDue - Refunded;

    public decimal WaivedOn(string feeItemCode) => WaivedByItem.GetValueOrDefault(feeItemCode);

    public static CaseFees Evolve(CaseFees state, ICaseFeeEvent e) => e switch
    {
        FeesAssessed a => state with
        {
            NoticeNumber = a.NoticeNumber, Notices = state.Notices + 1, Items = [.. a.Items], Assessed = a.Total,
        },
        FeePaid p => state with { Paid = state.Paid + p.Amount, Receipts = state.Receipts.SetItem(p.ReceiptNumber, p), Started = state.Started.Remove(p.ReceiptNumber) },
        OnlinePaymentStarted s => state with { Started = state.Started.SetItem(s.ReceiptNumber, s) },
        FeeWaived w => state with
        {
            Waived = state.Waived + w.Amount,
            WaivedByItem = state.WaivedByItem.SetItem(w.FeeItemCode, state.WaivedOn(w.FeeItemCode) + w.Amount),
        },
        FeeNoticeCancelled => state with { Cancelled = true },
        FeeRefundDue d => state with { RefundDue = state.RefundDue + d.Amount },
        FeeRefunded r => state with { Refunded = state.Refunded + r.Amount, RefundReceipts = state.RefundReceipts.SetItem(r.ReceiptNumber, r) },
        ApprovalAwaitingFees w => state with { PendingApproval = w },
        _ => state,
    };
}
