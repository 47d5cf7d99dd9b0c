using GovEvents.Domain.Fees;

namespace GovEvents.Domain.Cases;

public sealed record FeeLine(string FeeItemCode, decimal Amount);

/// <summary>
/// Assessment: the lines of the notice and the catalogue's state of each item named (an item
/// missing from <paramref name="Catalogue"/> is not published).
/// </summary>
public sealed record AssessFees(IReadOnlyList<FeeLine> Items, IReadOnlyDictionary<string, FeeItem> Catalogue, string AssessedBy);
public sealed record PayFees(decimal Amount, PaymentChannel Channel, string ReceiptNumber, string PaidBy);
public sealed record StartOnlinePayment(decimal Amount, string ReceiptNumber, string StartedBy);
public sealed record WaiveFee(string FeeItemCode, decimal Amount, string ApprovalReference, string Reason, string WaivedBy);
public sealed record RefundFees(decimal Amount, PaymentChannel Channel, string ReceiptNumber, string RefundedBy);

/// <summary>
/// 一费制: one payment notice per case, each item at its standard or at the lower bound of its
/// range; payments only at the unified window or online channel; reductions only on an approval;
/// refunds when the case ends without approval (hard rules 5–6).
/// </summary>
public static partial class CaseDecider
{
    /// <summary>
    /// Issues the payment notice. A second assessment replaces the notice while nothing has been
    /// paid or waived on it (the new notice lists every item again); afterwards the notice stands.
    /// The same items again change nothing.
    /// </summary>
    public static Decision AssessFees(Case state, AssessFees c, CaseClock clock)
    {
        if (!state.Exists) return InvalidState(state, "assess fees of");
        if (state.Decided || !(state.UnderReview || state.Status == CaseStatus.Suspended))
            return Decision.Refuse(Rules.InvalidState, $"Fees are assessed between acceptance and the decision; the case is {Kebab(state.Status)}.");
        if (c.Items.Count == 0) return Decision.Refuse(Rules.FeeItemsRequired, "A payment notice lists one or more fee items.");
        if (c.Items.GroupBy(i => i.FeeItemCode).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return Decision.Refuse(Rules.FeeItemDuplicate, $"Fee item {twice.Key} is listed twice; one line per item.");

        var items = new List<AssessedFee>();
        foreach (var line in c.Items)
        {
            var item = c.Catalogue.GetValueOrDefault(line.FeeItemCode) ?? new FeeItem();
            if (item.Assessable(line.FeeItemCode, clock.Today.Year) is { } refusal) return refusal;
            var d = item.Definition!;
            if (!FeeItemDefinition.IsYuan(line.Amount))
                return Decision.Refuse(Rules.AmountInvalid, $"{line.FeeItemCode}: a non-negative amount in yuan, to the fen.");
            if (!d.Discretionary && line.Amount > d.Amount)
                return Decision.Refuse(Rules.FeeAboveStandard, $"{d.Code} is charged at its standard {d.Amount:0.00}, not {line.Amount:0.00}.");
            if (!d.Discretionary && line.Amount < d.Amount)
                return Decision.Refuse(Rules.WaiverNeedsApproval,
                    $"{d.Code} is assessed at its standard {d.Amount:0.00}; a reduction is a waiver with its approval reference.");
            if (d.Discretionary && line.Amount != d.MinAmount)
                return Decision.Refuse(Rules.FeeNotLowerBound,
                    $"{d.Code} is discretionary [{d.MinAmount:0.00}, {d.MaxAmount:0.00}]: the hall charges its lower bound {d.MinAmount:0.00} (执行下限标准).");
            items.Add(new AssessedFee(d.Code, d.Name, d.DepartmentCode, d.LegalBasis, line.Amount));
        }

        var fees = state.Fees;
        if (fees.HasNotice)
        {
            if (fees.Paid > 0 || fees.Waived > 0)
                return Decision.Refuse(Rules.FeeNoticeLocked, $"Notice {fees.NoticeNumber} has payments or waivers on it and can no longer be replaced.");
            if (SameItems(fees.Items, items)) return Decision.Nothing;
        }
        var notice = new FeesAssessed(state.Id, $"{state.CaseNumber}-F{fees.Notices + 1}", items, items.Sum(i => i.Amount),
            fees.NoticeNumber, c.AssessedBy, clock.Now);
        return WithAwaitedApproval(state, clock, notice);
    }

    /// <summary>
    /// A payment on the notice. Partial payments are allowed, overpayment is not; a receipt number
    /// is used once per case (the same receipt again with the same amount is a retry: nothing new).
    /// </summary>
    public static Decision PayFees(Case state, PayFees c, CaseClock clock)
    {
        var fees = state.Fees;
        if (!fees.HasNotice) return Decision.Refuse(Rules.InvalidState, "No fees are assessed on this case.");
        if (fees.Cancelled || state.Closed) return Decision.Refuse(Rules.InvalidState, $"The case is {Kebab(state.Status)}: nothing is owed.");
        if (string.IsNullOrWhiteSpace(c.ReceiptNumber)) return Decision.Refuse(Rules.ReceiptRequired, "A payment carries its receipt number.");
        if (c.Amount <= 0 || !FeeItemDefinition.IsYuan(c.Amount)) return Decision.Refuse(Rules.AmountInvalid, "A payment is a positive amount in yuan, to the fen.");
        if (fees.Receipts.TryGetValue(c.ReceiptNumber, out var earlier))
            return earlier.Amount == c.Amount && earlier.Channel == c.Channel
                ? Decision.Nothing
                : Decision.Refuse(Rules.ReceiptDuplicate, $"Receipt {c.ReceiptNumber} is already used on this case.");
        if (c.Amount > fees.Balance)
            return Decision.Refuse(Rules.PaymentExceedsBalance, $"The balance is {fees.Balance:0.00}; {c.Amount:0.00} would overpay it.");
        return WithAwaitedApproval(state, clock, new FeePaid(state.Id, c.Amount, c.Channel, c.ReceiptNumber, c.PaidBy, clock.Now));
    }

    /// <summary>
    /// The applicant starts an online payment: the same checks as a payment, and nothing is paid yet.
    /// Starting the same order again is a retry (nothing new); its number on another amount, or a number already paid, is refused.
    /// </summary>
    public static Decision StartOnlinePayment(Case state, StartOnlinePayment c, CaseClock clock)
    {
        var fees = state.Fees;
        if (fees.Started.TryGetValue(c.ReceiptNumber, out var earlier))
            return earlier.Amount == c.Amount ? Decision.Nothing : Decision.Refuse(Rules.ReceiptDuplicate, $"Order {c.ReceiptNumber} was started for {earlier.Amount:0.00}.");
        var payment = PayFees(state, new PayFees(c.Amount, PaymentChannel.Online, c.ReceiptNumber, c.StartedBy), clock);
        if (payment.Refusal is not null) return payment;
        if (fees.Receipts.ContainsKey(c.ReceiptNumber)) return Decision.Refuse(Rules.ReceiptDuplicate, $"Receipt {c.ReceiptNumber} is already used on this case.");
        return Decision.Of(new OnlinePaymentStarted(state.Id, c.Amount, c.ReceiptNumber, c.StartedBy, clock.Now));
    }

    /// <summary>
    /// The unified online payment channel's notification that a payment was made: recorded once. The same
    /// receipt notified again is a replay, refused with nothing appended.
    /// </summary>
    public static Decision ConfirmOnlinePayment(Case state, PayFees c, CaseClock clock) =>
        state.Fees.Receipts.ContainsKey(c.ReceiptNumber)
            ? Decision.Refuse(Rules.NotificationReplayed, $"Receipt {c.ReceiptNumber} is already recorded on this case: a notification is taken once.")
            : PayFees(state, c with { Channel = PaymentChannel.Online }, clock);

    /// <summary>减免: a reduction or waiver of one item, only with an approval reference, never more than is still owed on it.</summary>
    public static Decision WaiveFee(Case state, WaiveFee c, CaseClock clock)
    {
        var fees = state.Fees;
        if (!fees.HasNotice) return Decision.Refuse(Rules.InvalidState, "No fees are assessed on this case.");
        if (fees.Cancelled || state.Closed || state.Decided) return Decision.Refuse(Rules.InvalidState, $"The case is {Kebab(state.Status)}: nothing is owed.");
        if (string.IsNullOrWhiteSpace(c.ApprovalReference))
            return Decision.Refuse(Rules.WaiverNeedsApproval, "A reduction or waiver needs the reference of its approval.");
        if (string.IsNullOrWhiteSpace(c.Reason)) return Decision.Refuse(Rules.ReasonRequired, "A reduction or waiver states its reason.");
        if (fees.Items.FirstOrDefault(i => i.FeeItemCode == c.FeeItemCode) is not { } item)
            return Decision.Refuse(Rules.FeeItemNotOnNotice, $"Fee item {c.FeeItemCode} is not on notice {fees.NoticeNumber}.");
        if (c.Amount <= 0 || !FeeItemDefinition.IsYuan(c.Amount)) return Decision.Refuse(Rules.AmountInvalid, "A waiver is a positive amount in yuan, to the fen.");
        var waivable = Math.Min(item.Amount - fees.WaivedOn(item.FeeItemCode), fees.Balance);
        if (c.Amount > waivable)
            return Decision.Refuse(Rules.WaiverExceedsFee, $"At most {waivable:0.00} of {item.FeeItemCode} is still owed and may be waived.");
        return WithAwaitedApproval(state, clock,
            new FeeWaived(state.Id, item.FeeItemCode, c.Amount, c.ApprovalReference, c.Reason, c.WaivedBy, clock.Now));
    }

    /// <summary>Paying back what is due on a withdrawn or denied case, with a receipt.</summary>
    public static Decision RefundFees(Case state, RefundFees c, CaseClock clock)
    {
        var fees = state.Fees;
        if (string.IsNullOrWhiteSpace(c.ReceiptNumber)) return Decision.Refuse(Rules.ReceiptRequired, "A refund carries its receipt number.");
        if (fees.RefundReceipts.TryGetValue(c.ReceiptNumber, out var earlier))
            return earlier.Amount == c.Amount && earlier.Channel == c.Channel
                ? Decision.Nothing
                : Decision.Refuse(Rules.ReceiptDuplicate, $"Refund receipt {c.ReceiptNumber} is already used on this case.");
        if (fees.RefundOutstanding <= 0) return Decision.Refuse(Rules.RefundNotDue, "No refund is due on this case.");
        if (c.Amount <= 0 || !FeeItemDefinition.IsYuan(c.Amount)) return Decision.Refuse(Rules.AmountInvalid, "A refund is a positive amount in yuan, to the fen.");
        if (c.Amount > fees.RefundOutstanding)
            return Decision.Refuse(Rules.RefundExceedsDue, $"{fees.RefundOutstanding:0.00} is due back, not {c.Amount:0.00}.");
        return Decision.Of(new FeeRefunded(state.Id, c.Amount, c.Channel, c.ReceiptNumber, c.RefundedBy, clock.Now));
    }

    /// <summary>
    /// What ending a case without approval means for its fees: the notice is cancelled (nothing
    /// more is owed) and what was paid is due back. Emitted with the withdrawal or denial.
    /// </summary>
    internal static IEnumerable<object> CancelFees(Case state, FeeCancelCause cause, CaseClock clock)
    {
        var fees = state.Fees;
        if (!fees.HasNotice || fees.Cancelled) yield break;
        yield return new FeeNoticeCancelled(state.Id, fees.NoticeNumber!, cause, fees.Balance, fees.Paid, clock.Now);
        if (fees.Paid > 0) yield return new FeeRefundDue(state.Id, fees.Paid, cause, clock.Now);
    }

    /// <summary>
    /// The fee event, followed by the system approval that waited for the fees (秒批 with its
    /// licence, or 告知承诺 with its post-check) once the notice is settled.
    /// </summary>
    private static Decision WithAwaitedApproval(Case state, CaseClock clock, object feeEvent)
    {
        var after = Case.Evolve(state, feeEvent);
        if (after.Fees is not { PendingApproval: { } awaited, HasNotice: true, Open: false, Cancelled: false }
            || after.Decided || after.Closed || !after.UnderReview)
            return Decision.Of(feeEvent);
        var events = new List<object>
        {
            feeEvent,
            new CaseApproved(state.Id, awaited.DecidedBy, awaited.Route, awaited.Basis, clock.Calendar.AddWorkingDays(clock.Today, LicenceDays),
                awaited.PostCheckDays is { } days ? clock.Calendar.AddWorkingDays(clock.Today, days) : null, clock.Now),
        };
        if (awaited.IssueLicence) events.Add(new LicenceIssued(state.Id, $"{state.CaseNumber}-L", null, clock.Now));
        return Decision.Of(events);
    }

    private static bool SameItems(IReadOnlyList<AssessedFee> a, IReadOnlyList<AssessedFee> b) =>
        a.Count == b.Count && a.OrderBy(i => i.FeeItemCode, StringComparer.Ordinal).SequenceEqual(b.OrderBy(i => i.FeeItemCode, StringComparer.Ordinal));
}
