using GovEvents.Domain.Cases;
using GovEvents.Domain.Catalogue;
using GovEvents.Domain.Fees;
using Shouldly;
using Case = GovEvents.Domain.Cases.Case;

namespace GovEvents.Domain.Tests.Cases;

public sealed class FeeTests : CaseSpec
{
    private static FeeItem Item(string code, decimal? amount, decimal? min = null, decimal? max = null, int reviewed = 2026, bool revoked = false) =>
        new(new FeeItemDefinition(code, $"{code} 费", "MARKET", "《收费标准》", amount, min, max), reviewed, revoked);

    private static readonly IReadOnlyDictionary<string, FeeItem> Catalogue = new Dictionary<string, FeeItem>
    {
        ["F-STD"] = Item("F-STD", 50m),
        ["F-RNG"] = Item("F-RNG", null, 100m, 300m),
        ["F-OLD"] = Item("F-OLD", 20m, reviewed: 2025),
        ["F-GONE"] = Item("F-GONE", 20m, revoked: true),
    };

    private static AssessFees Assess(params (string Code, decimal Amount)[] lines) =>
        new([.. lines.Select(l => new FeeLine(l.Code, l.Amount))], Catalogue, "cashier-1");

    private static PayFees Pay(decimal amount, string receipt = "R-1", PaymentChannel channel = PaymentChannel.Window) => new(amount, channel, receipt, "cashier-1");

    private static WaiveFee Waive(string code, decimal amount, string approval = "减免审批〔2026〕1号") => new(code, amount, approval, "困难群众", "cashier-1");

    /// <summary>Applies a decision that must succeed.</summary>
    private static Case After(Case state, Decision d)
    {
        d.IsRefused.ShouldBeFalse(d.Refusal?.Detail);
        return d.Events.Aggregate(state, Case.Evolve);
    }

    private static readonly Case OneTierAccepted = Given(Submitted(MatterDef(tiers: 1)), Accepted());
    private static readonly Case Assessed = After(OneTierAccepted, CaseDecider.AssessFees(OneTierAccepted, Assess(("F-STD", 50m), ("F-RNG", 100m)), At(3, 4)));

    [Fact]
    public void Fees_of_every_item_go_on_one_payment_notice()
    {
        var notice = Then<FeesAssessed>(CaseDecider.AssessFees(OneTierAccepted, Assess(("F-STD", 50m), ("F-RNG", 100m)), At(3, 4)));
        notice.NoticeNumber.ShouldBe("2026-000001-F1");
        notice.Items.Select(i => i.FeeItemCode).ShouldBe(["F-STD", "F-RNG"]);
        notice.Total.ShouldBe(150m);
        notice.Supersedes.ShouldBeNull();
        Assessed.Fees.Balance.ShouldBe(150m);
    }

    [Fact]
    public void An_item_not_in_the_catalogue_or_revoked_is_refused_as_not_published()
    {
        ThenRefused(CaseDecider.AssessFees(OneTierAccepted, Assess(("F-NONE", 10m)), At(3, 4)), Rules.FeeNotPublished);
        ThenRefused(CaseDecider.AssessFees(OneTierAccepted, Assess(("F-STD", 50m), ("F-GONE", 20m)), At(3, 4)), Rules.FeeNotPublished);
    }

    [Fact]
    public void An_item_not_reviewed_for_the_current_year_is_refused() =>
        ThenRefused(CaseDecider.AssessFees(OneTierAccepted, Assess(("F-OLD", 20m)), At(3, 4)), Rules.FeeNotReviewed);

    [Fact]
    public void A_standard_item_above_its_standard_is_refused() =>
        ThenRefused(CaseDecider.AssessFees(OneTierAccepted, Assess(("F-STD", 60m)), At(3, 4)), Rules.FeeAboveStandard);

    [Fact]
    public void A_standard_item_below_its_standard_is_a_reduction_that_needs_an_approval() =>
        ThenRefused(CaseDecider.AssessFees(OneTierAccepted, Assess(("F-STD", 40m)), At(3, 4)), Rules.WaiverNeedsApproval);

    [Fact]
    public void A_discretionary_item_is_assessed_at_its_lower_bound_only()
    {
        ThenRefused(CaseDecider.AssessFees(OneTierAccepted, Assess(("F-RNG", 150m)), At(3, 4)), Rules.FeeNotLowerBound);
        ThenRefused(CaseDecider.AssessFees(OneTierAccepted, Assess(("F-RNG", 99m)), At(3, 4)), Rules.FeeNotLowerBound);
        ThenRefused(CaseDecider.AssessFees(OneTierAccepted, Assess(("F-RNG", 400m)), At(3, 4)), Rules.FeeNotLowerBound);
    }

    [Fact]
    public void Fees_are_assessed_between_acceptance_and_the_decision()
    {
        ThenRefused(CaseDecider.AssessFees(Given(Submitted()), Assess(("F-STD", 50m)), At(3, 4)), Rules.InvalidState);
        var approved = After(OneTierAccepted, CaseDecider.Sign(OneTierAccepted, Sign(Tier.Approver, "a1"), At(3, 4)));
        ThenRefused(CaseDecider.AssessFees(approved, Assess(("F-STD", 50m)), At(3, 5)), Rules.InvalidState);
        ThenRefused(CaseDecider.AssessFees(Case.Initial, Assess(("F-STD", 50m)), At(3, 5)), Rules.NotFound);
    }

    [Fact]
    public void An_item_listed_twice_is_refused() =>
        ThenRefused(CaseDecider.AssessFees(OneTierAccepted, Assess(("F-STD", 50m), ("F-STD", 50m)), At(3, 4)), Rules.FeeItemDuplicate);

    [Fact]
    public void A_second_notice_replaces_the_first_while_nothing_is_paid_and_stands_once_money_moved()
    {
        var second = Then<FeesAssessed>(CaseDecider.AssessFees(Assessed, Assess(("F-STD", 50m)), At(3, 5)));
        second.NoticeNumber.ShouldBe("2026-000001-F2");
        second.Supersedes.ShouldBe("2026-000001-F1");
        After(Assessed, Decision.Of(second)).Fees.Balance.ShouldBe(50m);

        CaseDecider.AssessFees(Assessed, Assess(("F-RNG", 100m), ("F-STD", 50m)), At(3, 5)).Events.ShouldBeEmpty();

        var paid = After(Assessed, CaseDecider.PayFees(Assessed, Pay(10m), At(3, 5)));
        ThenRefused(CaseDecider.AssessFees(paid, Assess(("F-STD", 50m)), At(3, 5)), Rules.FeeNoticeLocked);
    }

    [Fact]
    public void Partial_payments_reduce_the_balance_and_an_overpayment_is_refused()
    {
        var part = After(Assessed, CaseDecider.PayFees(Assessed, Pay(100m, "R-1"), At(3, 5)));
        part.Fees.Balance.ShouldBe(50m);
        ThenRefused(CaseDecider.PayFees(part, Pay(50.01m, "R-2"), At(3, 5)), Rules.PaymentExceedsBalance);
        var paid = After(part, CaseDecider.PayFees(part, Pay(50m, "R-2", PaymentChannel.Online), At(3, 6)));
        paid.Fees.Balance.ShouldBe(0m);
        paid.Fees.Paid.ShouldBe(150m);
        ThenRefused(CaseDecider.PayFees(paid, Pay(1m, "R-3"), At(3, 6)), Rules.PaymentExceedsBalance);
    }

    [Fact]
    public void A_receipt_number_is_used_once_per_case_and_the_same_payment_again_is_a_retry()
    {
        var paid = After(Assessed, CaseDecider.PayFees(Assessed, Pay(20m, "R-1"), At(3, 5)));
        CaseDecider.PayFees(paid, Pay(20m, "R-1"), At(3, 5)).Events.ShouldBeEmpty();
        ThenRefused(CaseDecider.PayFees(paid, Pay(30m, "R-1"), At(3, 5)), Rules.ReceiptDuplicate);
    }

    [Fact]
    public void Starting_an_online_payment_pays_nothing_and_the_channels_confirmation_is_taken_once()
    {
        var started = After(Assessed, CaseDecider.StartOnlinePayment(Assessed, new StartOnlinePayment(150m, "ORDER-1", "applicant-1"), At(3, 5)));
        (started.Fees.Paid, started.Fees.Balance, started.Fees.Started.Keys.Single()).ShouldBe((0m, 150m, "ORDER-1"));
        CaseDecider.StartOnlinePayment(started, new StartOnlinePayment(150m, "ORDER-1", "applicant-1"), At(3, 5)).Events.ShouldBeEmpty();
        ThenRefused(CaseDecider.StartOnlinePayment(started, new StartOnlinePayment(10m, "ORDER-1", "applicant-1"), At(3, 5)), Rules.ReceiptDuplicate);
        ThenRefused(CaseDecider.StartOnlinePayment(started, new StartOnlinePayment(151m, "ORDER-2", "applicant-1"), At(3, 5)), Rules.PaymentExceedsBalance);

        var confirmed = After(started, CaseDecider.ConfirmOnlinePayment(started, new PayFees(150m, PaymentChannel.Online, "ORDER-1", "online-payment-channel"), At(3, 5)));
        (confirmed.Fees.Paid, confirmed.Fees.Balance, confirmed.Fees.Started.Count).ShouldBe((150m, 0m, 0));
        ThenRefused(CaseDecider.ConfirmOnlinePayment(confirmed, new PayFees(150m, PaymentChannel.Online, "ORDER-1", "online-payment-channel"), At(3, 5)), Rules.NotificationReplayed);
        ThenRefused(CaseDecider.StartOnlinePayment(confirmed, new StartOnlinePayment(1m, "ORDER-1", "applicant-1"), At(3, 5)), Rules.ReceiptDuplicate);
    }

    [Fact]
    public void A_payment_without_a_notice_is_refused() =>
        ThenRefused(CaseDecider.PayFees(OneTierAccepted, Pay(10m), At(3, 5)), Rules.InvalidState);

    [Fact]
    public void A_waiver_needs_an_approval_reference_and_a_reason()
    {
        ThenRefused(CaseDecider.WaiveFee(Assessed, Waive("F-STD", 50m, approval: " "), At(3, 5)), Rules.WaiverNeedsApproval);
        ThenRefused(CaseDecider.WaiveFee(Assessed, Waive("F-STD", 50m) with { Reason = "" }, At(3, 5)), Rules.ReasonRequired);
        var waived = Then<FeeWaived>(CaseDecider.WaiveFee(Assessed, Waive("F-STD", 20m), At(3, 5)));
        waived.ApprovalReference.ShouldBe("减免审批〔2026〕1号");
        After(Assessed, Decision.Of(waived)).Fees.Balance.ShouldBe(130m);
    }

    [Fact]
    public void A_waiver_never_exceeds_what_is_still_owed_on_its_item()
    {
        ThenRefused(CaseDecider.WaiveFee(Assessed, Waive("F-STD", 50.01m), At(3, 5)), Rules.WaiverExceedsFee);
        var half = After(Assessed, CaseDecider.WaiveFee(Assessed, Waive("F-STD", 25m), At(3, 5)));
        ThenRefused(CaseDecider.WaiveFee(half, Waive("F-STD", 26m), At(3, 5)), Rules.WaiverExceedsFee);
        var mostlyPaid = After(Assessed, CaseDecider.PayFees(Assessed, Pay(140m), At(3, 5)));
        ThenRefused(CaseDecider.WaiveFee(mostlyPaid, Waive("F-RNG", 20m), At(3, 5)), Rules.WaiverExceedsFee);
        ThenRefused(CaseDecider.WaiveFee(Assessed, Waive("F-OTHER", 1m), At(3, 5)), Rules.FeeItemNotOnNotice);
    }

    [Fact]
    public void Approval_with_a_balance_open_is_refused_until_paid_or_waived()
    {
        ThenRefused(CaseDecider.Sign(Assessed, Sign(Tier.Approver, "a1"), At(3, 5)), Rules.BalanceOpen);
        var paid = After(Assessed, CaseDecider.PayFees(Assessed, Pay(100m), At(3, 5)));
        ThenRefused(CaseDecider.Sign(paid, Sign(Tier.Approver, "a1"), At(3, 5)), Rules.BalanceOpen);
        var settled = After(paid, CaseDecider.WaiveFee(paid, Waive("F-STD", 50m), At(3, 5)));
        Then<CaseApproved>(CaseDecider.Sign(settled, Sign(Tier.Approver, "a1"), At(3, 6)), 1);
    }

    [Fact]
    public void A_denial_needs_no_settled_balance_and_cancels_the_notice_with_the_refund_due()
    {
        var paid = After(Assessed, CaseDecider.PayFees(Assessed, Pay(100m), At(3, 5)));
        var d = CaseDecider.Sign(paid, Sign(Tier.Approver, "a1", Opinion.Deny, reason: "不符合条件", legalBasis: "第十二条"), At(3, 6));
        Then<CaseDenied>(d, 1);
        var cancelled = Then<FeeNoticeCancelled>(d, 2);
        (cancelled.Outstanding, cancelled.RefundDue, cancelled.Cause).ShouldBe((50m, 100m, FeeCancelCause.Denied));
        Then<FeeRefundDue>(d, 3).Amount.ShouldBe(100m);
        var denied = After(paid, d);
        denied.Fees.Balance.ShouldBe(0m);
        denied.Fees.RefundOutstanding.ShouldBe(100m);
    }

    [Fact]
    public void A_withdrawal_cancels_the_notice_and_records_a_refund_only_when_money_was_paid()
    {
        var unpaid = CaseDecider.Withdraw(Assessed, new WithdrawCase("不再需要"), At(3, 5));
        unpaid.Events.Select(e => e.GetType()).ShouldBe([typeof(CaseWithdrawn), typeof(FeeNoticeCancelled)]);

        var paid = After(Assessed, CaseDecider.PayFees(Assessed, Pay(60m), At(3, 5)));
        var d = CaseDecider.Withdraw(paid, new WithdrawCase("不再需要"), At(3, 6));
        Then<FeeRefundDue>(d, 2).ShouldBe(new FeeRefundDue(Id, 60m, FeeCancelCause.Withdrawn, At(3, 6).Now));

        CaseDecider.Withdraw(OneTierAccepted, new WithdrawCase("不再需要"), At(3, 5)).Events.Count.ShouldBe(1);
    }

    [Fact]
    public void Payments_on_a_withdrawn_case_are_refused_and_a_refund_pays_back_at_most_what_is_due()
    {
        var paid = After(Assessed, CaseDecider.PayFees(Assessed, Pay(60m), At(3, 5)));
        var withdrawn = After(paid, CaseDecider.Withdraw(paid, new WithdrawCase("不再需要"), At(3, 6)));
        ThenRefused(CaseDecider.PayFees(withdrawn, Pay(10m, "R-9"), At(3, 6)), Rules.InvalidState);
        ThenRefused(CaseDecider.RefundFees(withdrawn, new RefundFees(61m, PaymentChannel.Window, "T-1", "cashier-1"), At(3, 6)), Rules.RefundExceedsDue);
        var refunded = After(withdrawn, CaseDecider.RefundFees(withdrawn, new RefundFees(60m, PaymentChannel.Window, "T-1", "cashier-1"), At(3, 6)));
        refunded.Fees.RefundOutstanding.ShouldBe(0m);
        ThenRefused(CaseDecider.RefundFees(refunded, new RefundFees(1m, PaymentChannel.Window, "T-2", "cashier-1"), At(3, 6)), Rules.RefundNotDue);
        ThenRefused(CaseDecider.RefundFees(OneTierAccepted, new RefundFees(1m, PaymentChannel.Window, "T-1", "cashier-1"), At(3, 6)), Rules.RefundNotDue);
    }

    [Fact]
    public void An_instant_approval_of_a_matter_with_fees_waits_for_its_notice_to_be_settled()
    {
        var def = MatterDef(tiers: 1, instant: true) with { FeeItemCodes = ["F-STD"] };
        var submit = CaseDecider.Submit(new SubmitCase(Id, "2026-000001", QueryCodeHash.Of("123456", new byte[QueryCodeHash.SaltBytes]), MatterOf(def),
            new Applicant(ApplicantKind.Person, "张三", "110101199001011234", "13800000000"), Channel.Online,
            ["application-form", "site-plan"], null, false, null, "applicant-1"), At(3, 2));
        submit.Events.Select(e => e.GetType()).ShouldBe([typeof(CaseSubmitted), typeof(CaseAccepted), typeof(ApprovalAwaitingFees)]);
        var waiting = After(Case.Initial, submit);
        waiting.Status.ShouldBe(CaseStatus.Accepted);

        var assessed = After(waiting, CaseDecider.AssessFees(waiting, Assess(("F-STD", 50m)), At(3, 2)));
        assessed.Status.ShouldBe(CaseStatus.Accepted);
        var part = After(assessed, CaseDecider.PayFees(assessed, Pay(20m, "R-1", PaymentChannel.Online), At(3, 2)));
        part.Decided.ShouldBeFalse();

        var settle = CaseDecider.PayFees(part, Pay(30m, "R-2", PaymentChannel.Online), At(3, 3));
        settle.Events.Select(e => e.GetType()).ShouldBe([typeof(FeePaid), typeof(CaseApproved), typeof(LicenceIssued)]);
        Then<CaseApproved>(settle, 1).Route.ShouldBe(ApprovalRoute.InstantApproval);
        After(part, settle).Status.ShouldBe(CaseStatus.Licensed);
    }

    [Fact]
    public void A_commitment_case_with_fees_is_approved_when_a_waiver_settles_its_notice()
    {
        var def = MatterDef(tiers: 1, commitment: new CommitmentSpec(20)) with { FeeItemCodes = ["F-STD"] };
        var submitted = Given(Submitted(def, commitment: true));
        var accept = CaseDecider.Accept(submitted, new AcceptCase([]), At(3, 3));
        Then<ApprovalAwaitingFees>(accept, 1).PostCheckDays.ShouldBe(20);
        var waiting = After(submitted, accept);
        var assessed = After(waiting, CaseDecider.AssessFees(waiting, Assess(("F-STD", 50m)), At(3, 4)));

        var waive = CaseDecider.WaiveFee(assessed, Waive("F-STD", 50m), At(3, 5));
        var approved = Then<CaseApproved>(waive, 1);
        approved.DecidedBy.ShouldBe("commitment");
        approved.PostCheckDueDate.ShouldBe(Calendar2026.Calendar.AddWorkingDays(new DateOnly(2026, 3, 5), 20));
        waive.Events.Count.ShouldBe(2);
    }

    [Fact]
    public void Matters_without_fee_items_are_still_approved_by_the_system_at_once()
    {
        var submitted = Given(Submitted(MatterDef(tiers: 1, commitment: new CommitmentSpec(20)), commitment: true));
        Then<CaseApproved>(CaseDecider.Accept(submitted, new AcceptCase([]), At(3, 3)), 1);
    }

    [Fact]
    public void Payments_and_refunds_without_a_receipt_or_with_a_bad_amount_are_refused()
    {
        ThenRefused(CaseDecider.PayFees(Assessed, Pay(10m, " "), At(3, 5)), Rules.ReceiptRequired);
        ThenRefused(CaseDecider.PayFees(Assessed, Pay(0.001m), At(3, 5)), Rules.AmountInvalid);
        ThenRefused(CaseDecider.WaiveFee(Assessed, Waive("F-STD", -1m), At(3, 5)), Rules.AmountInvalid);
        ThenRefused(CaseDecider.AssessFees(OneTierAccepted, Assess(), At(3, 4)), Rules.FeeItemsRequired);
        ThenRefused(CaseDecider.RefundFees(Assessed, new RefundFees(1m, PaymentChannel.Window, "", "cashier-1"), At(3, 6)), Rules.ReceiptRequired);
    }
}
