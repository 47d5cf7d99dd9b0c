using GovEvents.Domain.Cases;
using GovEvents.Domain.Catalogue;
using Shouldly;
using Case = GovEvents.Domain.Cases.Case;

namespace GovEvents.Domain.Tests.Cases;

public sealed class ReviewTests : CaseSpec
{
    private static readonly Case AcceptedCase = Given(Submitted(), Accepted());

    private static Case SignedBy(Case state, params (Tier Tier, string Who)[] signers) =>
        signers.Aggregate(state, (s, x) => CaseDecider.Sign(s, Sign(x.Tier, x.Who), At(3, 4)).Events.Aggregate(s, Case.Evolve));

    [Fact]
    public void Signing_without_delegation_is_refused() =>
        ThenRefused(CaseDecider.Sign(AcceptedCase, Sign(Tier.Handler, "h1", delegations: []), At(3, 4)), Rules.NoAuthority);

    [Fact]
    public void Signing_with_an_expired_delegation_is_refused() =>
        ThenRefused(CaseDecider.Sign(AcceptedCase, Sign(Tier.Handler, "h1",
            delegations: [Delegated("h1", Tier.Handler, to: new DateOnly(2026, 3, 3))]), At(3, 4)), Rules.NoAuthority);

    [Fact]
    public void Signing_with_a_revoked_delegation_is_refused() =>
        ThenRefused(CaseDecider.Sign(AcceptedCase, Sign(Tier.Handler, "h1",
            delegations: [Delegated("h1", Tier.Handler, revokedAt: At(3, 4, hour: 8).Now)]), At(3, 4)), Rules.NoAuthority);

    [Fact]
    public void A_delegation_for_another_tier_or_matter_gives_no_authority()
    {
        ThenRefused(CaseDecider.Sign(AcceptedCase, Sign(Tier.Handler, "h1", delegations: [Delegated("h1", Tier.Reviewer)]), At(3, 4)), Rules.NoAuthority);
        ThenRefused(CaseDecider.Sign(AcceptedCase, Sign(Tier.Handler, "h1", delegations: [Delegated("h1", Tier.Handler, matter: "M999")]), At(3, 4)), Rules.NoAuthority);
    }

    [Fact]
    public void The_department_leader_signs_without_a_delegation()
    {
        var signed = Then<SignatureRecorded>(CaseDecider.Sign(AcceptedCase, Sign(Tier.Handler, "lead", delegations: [], leader: "lead"), At(3, 4)));
        signed.AsLeader.ShouldBeTrue();
        signed.DelegationId.ShouldBeNull();
    }

    [Fact]
    public void The_signature_records_the_delegation_it_relied_on() =>
        Then<SignatureRecorded>(CaseDecider.Sign(AcceptedCase, Sign(Tier.Handler, "h1"), At(3, 4))).DelegationId.ShouldBe("del-h1-Handler");

    [Fact]
    public void Signing_at_the_wrong_tier_is_refused()
    {
        ThenRefused(CaseDecider.Sign(AcceptedCase, Sign(Tier.Reviewer, "r1"), At(3, 4)), Rules.TierOrder);
        var oneTier = Given(Submitted(MatterDef(tiers: 1)), Accepted());
        ThenRefused(CaseDecider.Sign(oneTier, Sign(Tier.Handler, "h1"), At(3, 4)), Rules.TierOrder);
    }

    [Fact]
    public void A_second_tier_by_the_same_person_is_refused()
    {
        var state = SignedBy(AcceptedCase, (Tier.Handler, "p1"));
        ThenRefused(CaseDecider.Sign(state, Sign(Tier.Reviewer, "p1"), At(3, 4)), Rules.SameSigner);
    }

    [Fact]
    public void Return_sends_the_case_back_a_tier_and_the_lower_tier_signs_again()
    {
        var state = SignedBy(AcceptedCase, (Tier.Handler, "h1"));
        var back = CaseDecider.Sign(state, Sign(Tier.Reviewer, "r1", Opinion.Return), At(3, 5)).Events.Aggregate(state, Case.Evolve);
        ThenRefused(CaseDecider.Sign(back, Sign(Tier.Reviewer, "r1"), At(3, 5)), Rules.TierOrder);
        var again = SignedBy(back, (Tier.Handler, "h1"), (Tier.Reviewer, "r1"));
        again.Matter.TierOrder[again.NextTier].ShouldBe(Tier.Approver);
    }

    [Fact]
    public void The_final_tier_approval_is_the_decision()
    {
        var state = SignedBy(AcceptedCase, (Tier.Handler, "h1"), (Tier.Reviewer, "r1"));
        var d = CaseDecider.Sign(state, Sign(Tier.Approver, "a1"), At(3, 6));
        var approved = Then<CaseApproved>(d, 1);
        approved.LicenceDueDate.ShouldBe(new DateOnly(2026, 3, 20));
        d.Events.Aggregate(state, Case.Evolve).Status.ShouldBe(CaseStatus.Approved);
    }

    [Fact]
    public void A_decided_case_refuses_further_signatures()
    {
        var decided = SignedBy(AcceptedCase, (Tier.Handler, "h1"), (Tier.Reviewer, "r1"), (Tier.Approver, "a1"));
        ThenRefused(CaseDecider.Sign(decided, Sign(Tier.Approver, "a1"), At(3, 6)), Rules.AlreadyDecided);
    }

    [Fact]
    public void A_denial_needs_reason_and_legal_basis_and_carries_the_rights_notice()
    {
        var state = SignedBy(AcceptedCase, (Tier.Handler, "h1"), (Tier.Reviewer, "r1"));
        ThenRefused(CaseDecider.Sign(state, Sign(Tier.Approver, "a1", Opinion.Deny, reason: "unsafe site"), At(3, 6)), Rules.LegalBasisRequired);
        ThenRefused(CaseDecider.Sign(state, Sign(Tier.Approver, "a1", Opinion.Deny, legalBasis: "art. 38"), At(3, 6)), Rules.ReasonRequired);
        var denied = Then<CaseDenied>(CaseDecider.Sign(state, Sign(Tier.Approver, "a1", Opinion.Deny, reason: "unsafe site", legalBasis: "ALL art. 38"), At(3, 6)), 1);
        denied.RightsNotice.ShouldContain("行政复议");
    }

    [Fact]
    public void Approval_with_fees_open_is_refused()
    {
        var state = SignedBy(AcceptedCase, (Tier.Handler, "h1"), (Tier.Reviewer, "r1"));
        ThenRefused(CaseDecider.Sign(state, Sign(Tier.Approver, "a1") with { FeesOpen = true }, At(3, 6)), Rules.BalanceOpen);
    }

    [Fact]
    public void The_lead_decides_only_when_every_participant_has_answered_or_is_deemed_to_consent()
    {
        var def = MatterDef(tiers: 1, parallel: new ParallelSpec(["FIRE", "ENV"], 3));
        var state = Given(Submitted(def), Accepted());
        state = CaseDecider.StartParallelReview(state, new StartParallelReview(null, null), At(3, 4)).Events.Aggregate(state, Case.Evolve);
        state.Status.ShouldBe(CaseStatus.ParallelReview);
        state.Parallel!.Participants.Select(p => p.DueDate).ShouldAllBe(d => d == new DateOnly(2026, 3, 9));

        ThenRefused(CaseDecider.Sign(state, Sign(Tier.Approver, "a1"), At(3, 5)), Rules.ParallelReviewPending);

        state = CaseDecider.GiveParallelOpinion(state, new GiveParallelOpinion("FIRE", ParallelOpinion.Agree, "ok"), At(3, 5)).Events.Aggregate(state, Case.Evolve);
        CaseDecider.DeemConsent(state, "ENV", At(3, 9, hour: 23)).Events.ShouldBeEmpty();
        var deemed = Then<ParallelConsentDeemed>(CaseDecider.DeemConsent(state, "ENV", At(3, 10, hour: 9)));
        deemed.Cause.ShouldBe(DeemedCause.Timeout);
        state = Case.Evolve(state, deemed);

        state.Status.ShouldBe(CaseStatus.InReview);
        Then<CaseApproved>(CaseDecider.Sign(state, Sign(Tier.Approver, "a1"), At(3, 10)), 1);
    }

    [Fact]
    public void A_participant_absent_from_the_joint_meeting_is_deemed_to_consent()
    {
        var def = MatterDef(parallel: new ParallelSpec(["FIRE", "ENV"], 3));
        var state = Given(Submitted(def), Accepted());
        state = CaseDecider.StartParallelReview(state, new StartParallelReview(null, null), At(3, 4)).Events.Aggregate(state, Case.Evolve);
        var d = CaseDecider.HoldJointMeeting(state, new HoldJointMeeting(At(3, 5).Now, ["FIRE"]), At(3, 5));
        Then<JointMeetingHeld>(d).Absent.ShouldBe(["ENV"]);
        Then<ParallelConsentDeemed>(d, 1).ShouldBe(new ParallelConsentDeemed(Id, "ENV", DeemedCause.Absence, At(3, 5).Now));
        d.Events.Count.ShouldBe(2);
    }

    [Fact]
    public void A_suspension_reason_outside_article_45_and_the_matter_is_refused() =>
        ThenRefused(CaseDecider.Suspend(AcceptedCase, new SuspendCase("holiday", 5, "head", ""), At(3, 4)), Rules.SuspensionReasonInvalid);

    [Fact]
    public void A_stop_moves_both_deadlines_by_the_stopped_working_days()
    {
        var state = CaseDecider.Suspend(AcceptedCase, new SuspendCase("expert-review", 5, "王局长", "experts"), At(3, 4)).Events.Aggregate(AcceptedCase, Case.Evolve);
        state.Status.ShouldBe(CaseStatus.Suspended);
        ThenRefused(CaseDecider.Sign(state, Sign(Tier.Handler, "h1"), At(3, 5)), Rules.InvalidState);

        var resumed = Then<CaseResumed>(CaseDecider.Resume(state, At(3, 11)));
        resumed.StoppedWorkingDays.ShouldBe(5);
        resumed.PromisedDeadline.ShouldBe(Calendar2026.Calendar.AddWorkingDays(AcceptedCase.PromisedDeadline!.Value, 5));
        resumed.StatutoryDeadline.ShouldBe(Calendar2026.Calendar.AddWorkingDays(AcceptedCase.StatutoryDeadline!.Value, 5));
        Case.Evolve(state, resumed).Status.ShouldBe(CaseStatus.Accepted);
    }

    [Fact]
    public void A_special_procedure_counting_toward_the_limit_stops_nothing()
    {
        var state = CaseDecider.Suspend(AcceptedCase, new SuspendCase("public-notice", 5, "王局长", ""), At(3, 4)).Events.Aggregate(AcceptedCase, Case.Evolve);
        var resumed = Then<CaseResumed>(CaseDecider.Resume(state, At(3, 11)));
        resumed.StoppedWorkingDays.ShouldBe(0);
        resumed.PromisedDeadline.ShouldBe(AcceptedCase.PromisedDeadline!.Value);
    }

    [Fact]
    public void A_second_extension_is_refused_and_the_first_moves_both_deadlines()
    {
        var d = CaseDecider.Extend(AcceptedCase, new ExtendDeadline(10, "局长", "complex site"), At(3, 5));
        var ext = Then<DeadlineExtended>(d);
        ext.PromisedDeadline.ShouldBe(Calendar2026.Calendar.AddWorkingDays(AcceptedCase.PromisedDeadline!.Value, 10));
        var extended = Case.Evolve(AcceptedCase, ext);
        ThenRefused(CaseDecider.Extend(extended, new ExtendDeadline(2, "局长", "again"), At(3, 6)), Rules.ExtensionUsed);
    }

    [Fact]
    public void An_extension_beyond_the_legal_bound_is_refused_and_joint_handling_allows_fifteen()
    {
        ThenRefused(CaseDecider.Extend(AcceptedCase, new ExtendDeadline(11, "局长", "x"), At(3, 5)), Rules.ExtensionTooLong);
        var joint = Given(Submitted(MatterDef(parallel: new ParallelSpec(["FIRE"], 3))), Accepted());
        Then<DeadlineExtended>(CaseDecider.Extend(joint, new ExtendDeadline(15, "市长", "joint"), At(3, 5)));
        ThenRefused(CaseDecider.Extend(joint, new ExtendDeadline(16, "市长", "joint"), At(3, 5)), Rules.ExtensionTooLong);
    }

    [Fact]
    public void A_licence_follows_approval_and_delivery_follows_the_licence()
    {
        ThenRefused(CaseDecider.IssueLicence(AcceptedCase, new IssueLicence("L-1", null), At(3, 5)), Rules.InvalidState);
        var approved = SignedBy(AcceptedCase, (Tier.Handler, "h1"), (Tier.Reviewer, "r1"), (Tier.Approver, "a1"));
        ThenRefused(CaseDecider.Deliver(approved, new DeliverLicence(DeliveryMethod.Mail), At(3, 6)), Rules.InvalidState);
        var licensed = Case.Evolve(approved, Then<LicenceIssued>(CaseDecider.IssueLicence(approved, new IssueLicence("L-1", new DateOnly(2031, 3, 5)), At(3, 6))));
        licensed.Status.ShouldBe(CaseStatus.Licensed);
        Case.Evolve(licensed, Then<LicenceDelivered>(CaseDecider.Deliver(licensed, new DeliverLicence(DeliveryMethod.Mail), At(3, 7)))).Status.ShouldBe(CaseStatus.Delivered);
    }

    [Fact]
    public void Parallel_review_refusals_say_what_was_wrong_not_invalid_state()
    {
        var plain = Given(Submitted(MatterDef(tiers: 1)), Accepted());
        ThenRefused(CaseDecider.StartParallelReview(plain, new StartParallelReview(null, null), At(3, 4)), Rules.ParticipantsRequired);
        ThenRefused(CaseDecider.StartParallelReview(plain, new StartParallelReview(["FIRE"], 0), At(3, 4)), Rules.OpinionDaysInvalid);

        var state = Given(Submitted(MatterDef(tiers: 1, parallel: new ParallelSpec(["FIRE", "ENV"], 3))), Accepted());
        state = CaseDecider.StartParallelReview(state, new StartParallelReview(null, null), At(3, 4)).Events.Aggregate(state, Case.Evolve);
        ThenRefused(CaseDecider.StartParallelReview(state, new StartParallelReview(null, null), At(3, 4)), Rules.ParallelReviewExists);
        ThenRefused(CaseDecider.GiveParallelOpinion(state, new GiveParallelOpinion("TAX", ParallelOpinion.Agree, "ok"), At(3, 5)), Rules.ParticipantUnknown);
        state = CaseDecider.GiveParallelOpinion(state, new GiveParallelOpinion("FIRE", ParallelOpinion.Agree, "ok"), At(3, 5)).Events.Aggregate(state, Case.Evolve);
        ThenRefused(CaseDecider.GiveParallelOpinion(state, new GiveParallelOpinion("FIRE", ParallelOpinion.Disagree, "no"), At(3, 5)), Rules.OpinionExists);
    }

    [Fact]
    public void An_extension_without_its_approver_is_refused() =>
        ThenRefused(CaseDecider.Extend(AcceptedCase, new ExtendDeadline(5, " ", "专家论证"), At(3, 5)), Rules.ExtensionNeedsApproval);

    [Fact]
    public void A_licence_without_a_number_or_expiring_by_today_is_refused()
    {
        var approved = Given(Submitted(), Accepted(), new CaseApproved(Id, "a1", ApprovalRoute.Signature, "signature", new DateOnly(2026, 3, 20), null, At(3, 5).Now));
        ThenRefused(CaseDecider.IssueLicence(approved, new IssueLicence(" ", null), At(3, 6)), Rules.LicenceNumberRequired);
        ThenRefused(CaseDecider.IssueLicence(approved, new IssueLicence("L-1", new DateOnly(2026, 3, 6)), At(3, 6)), Rules.LicenceValidityPast);
    }

    [Fact]
    public void A_stop_records_the_status_it_interrupts_and_resumption_returns_to_it()
    {
        var stopped = Then<CaseSuspended>(CaseDecider.Suspend(AcceptedCase, new SuspendCase("hearing", 5, "王局长", ""), At(3, 4)));
        stopped.StatusBefore.ShouldBe(CaseStatus.Accepted);
        var state = Given(Submitted(), Accepted(), stopped);
        CaseDecider.Resume(state, At(3, 6)).Events.Aggregate(state, Case.Evolve).Status.ShouldBe(CaseStatus.Accepted);
    }
}
