using GovEvents.Domain.Cases;
using GovEvents.Domain.Catalogue;
using Shouldly;
using Case = GovEvents.Domain.Cases.Case;

namespace GovEvents.Domain.Tests.Cases;

public sealed class IntakeTests : CaseSpec
{
    private static SubmitCase SubmitCmd(Matter matter, params string[] materials) =>
        new(Id, "2026-000001", QueryCodeHash.Of("123456", new byte[QueryCodeHash.SaltBytes]), matter, new Applicant(ApplicantKind.Person, "张三", "1101", "138"), Channel.Online, materials, null, false, null);

    [Fact]
    public void Submitting_to_a_revoked_matter_is_refused() =>
        ThenRefused(CaseDecider.Submit(SubmitCmd(MatterOf(MatterDef(), revoked: true), "application-form"), At(3, 2)), Rules.MatterRevoked);

    [Fact]
    public void Submission_records_the_matter_version_it_was_received_under()
    {
        var submitted = Then<CaseSubmitted>(CaseDecider.Submit(SubmitCmd(MatterOf(MatterDef()), "application-form"), At(3, 2)));
        submitted.MatterVersion.ShouldBe(2);
        submitted.ReceivedDate.ShouldBe(new DateOnly(2026, 3, 2));
    }

    [Fact]
    public void Materials_the_matter_does_not_require_are_refused() =>
        ThenRefused(CaseDecider.Submit(SubmitCmd(MatterOf(MatterDef()), "passport"), At(3, 2)), Rules.MaterialUnknown);

    [Fact]
    public void A_complete_instant_approval_application_is_approved_and_licensed_by_the_system_in_one_decision()
    {
        var d = CaseDecider.Submit(SubmitCmd(MatterOf(MatterDef(instant: true)), "application-form", "site-plan"), At(3, 2));
        d.Events.Select(e => e.GetType()).ShouldBe([typeof(CaseSubmitted), typeof(CaseAccepted), typeof(CaseApproved), typeof(LicenceIssued)]);
        Then<CaseApproved>(d, 2).Route.ShouldBe(ApprovalRoute.InstantApproval);
        Then<CaseApproved>(d, 2).Basis.ShouldBe("instant-approval rule M001@v2");
        Then<CaseApproved>(d, 2).DecidedBy.ShouldBe("system");
    }

    [Fact]
    public void An_incomplete_instant_approval_application_waits_for_the_clerk()
    {
        var d = CaseDecider.Submit(SubmitCmd(MatterOf(MatterDef(instant: true)), "application-form"), At(3, 2));
        d.Events.Single().ShouldBeOfType<CaseSubmitted>();
    }

    [Fact]
    public void Acceptance_with_a_mandatory_material_missing_is_refused() =>
        ThenRefused(CaseDecider.Accept(Given(Submitted(materials: ["application-form"])), new AcceptCase([]), At(3, 3)), Rules.MaterialsIncomplete);

    [Fact]
    public void Acceptance_with_the_missing_material_deferred_is_容缺_accepted()
    {
        var due = new DateOnly(2026, 3, 20);
        var accepted = Then<CaseAccepted>(CaseDecider.Accept(Given(Submitted(materials: ["application-form"])),
            new AcceptCase([new DeferredMaterial("site-plan", due)]), At(3, 3)));
        accepted.Deferred.ShouldBe([new DeferredMaterial("site-plan", due)]);
        accepted.PromisedDeadline.ShouldBe(new DateOnly(2026, 3, 17));
        accepted.StatutoryDeadline.ShouldBe(new DateOnly(2026, 3, 31));
    }

    [Fact]
    public void Deferring_a_material_that_is_not_deferrable_is_refused() =>
        ThenRefused(CaseDecider.Accept(Given(Submitted(materials: ["site-plan"])),
            new AcceptCase([new DeferredMaterial("application-form", new DateOnly(2026, 3, 20))]), At(3, 3)), Rules.MaterialsIncomplete);

    [Fact]
    public void Accepting_twice_is_an_invalid_state() =>
        ThenRefused(CaseDecider.Accept(Given(Submitted(), Accepted()), new AcceptCase([]), At(3, 4)), Rules.InvalidState);

    [Fact]
    public void Non_acceptance_needs_a_reason_and_a_legal_basis()
    {
        var state = Given(Submitted());
        ThenRefused(CaseDecider.RefuseAcceptance(state, new RefuseAcceptance("", "art. 32"), At(3, 3)), Rules.ReasonRequired);
        ThenRefused(CaseDecider.RefuseAcceptance(state, new RefuseAcceptance("not our matter", " "), At(3, 3)), Rules.LegalBasisRequired);
        Then<CaseNotAccepted>(CaseDecider.RefuseAcceptance(state, new RefuseAcceptance("not our matter", "ALL art. 32"), At(3, 3)));
    }

    [Fact]
    public void A_supplement_returns_the_case_to_submitted()
    {
        var state = Given(Submitted(materials: ["application-form"]),
            new SupplementRequested(Id, ["site-plan"], "", false, false, At(3, 3).Now));
        state.Status.ShouldBe(CaseStatus.Supplementing);
        var d = CaseDecider.Supplement(state, new Supplement(["site-plan"]), At(3, 4));
        Case.Evolve(state, Then<MaterialsSupplemented>(d)).Status.ShouldBe(CaseStatus.Submitted);
    }

    [Fact]
    public void A_second_supplement_request_naming_new_materials_is_flagged_as_breaking_一次性告知()
    {
        var state = Given(Submitted(materials: []), new SupplementRequested(Id, ["site-plan"], "", false, false, At(3, 3).Now),
            new MaterialsSupplemented(Id, ["site-plan"], new DateOnly(2026, 3, 4), new DateOnly(2026, 3, 11), At(3, 4).Now));
        Then<SupplementRequested>(CaseDecider.RequestSupplement(state, new RequestSupplement(["application-form"], ""), At(3, 5))).Repeated.ShouldBeTrue();
    }

    [Fact]
    public void A_supplement_request_after_the_five_day_window_is_flagged_late()
    {
        // Received Tue 29 Sep; the 5th working day after is Mon 12 Oct; asking on Tue 13 Oct is late.
        var state = Given(Submitted(month: 9, day: 29));
        Then<SupplementRequested>(CaseDecider.RequestSupplement(state, new RequestSupplement(["site-plan"], ""), At(10, 12))).Late.ShouldBeFalse();
        Then<SupplementRequested>(CaseDecider.RequestSupplement(state, new RequestSupplement(["site-plan"], ""), At(10, 13))).Late.ShouldBeTrue();
    }

    [Fact]
    public void Deemed_acceptance_comes_on_the_sixth_working_day_across_a_holiday_not_on_the_fifth()
    {
        var state = Given(Submitted(month: 9, day: 29));
        state.AcceptanceDueDate.ShouldBe(new DateOnly(2026, 10, 12));

        CaseDecider.DeemAccepted(state, At(10, 12, hour: 23)).Events.ShouldBeEmpty();
        var deemed = Then<CaseDeemedAccepted>(CaseDecider.DeemAccepted(state, At(10, 13, hour: 0)));
        deemed.EffectiveDate.ShouldBe(new DateOnly(2026, 9, 29));
        deemed.PromisedDeadline.ShouldBe(Calendar2026.Calendar.AddWorkingDays(new DateOnly(2026, 9, 29), 10));
    }

    [Fact]
    public void Deemed_acceptance_does_nothing_once_the_office_has_answered() =>
        CaseDecider.DeemAccepted(Given(Submitted(), Accepted()), At(3, 20)).Events.ShouldBeEmpty();

    [Fact]
    public void A_decided_case_cannot_be_withdrawn()
    {
        var approved = Given(Submitted(), Accepted(), new CaseApproved(Id, "s", ApprovalRoute.Signature, "signature", new DateOnly(2026, 3, 20), null, At(3, 5).Now));
        ThenRefused(CaseDecider.Withdraw(approved, new WithdrawCase("changed my mind"), At(3, 6)), Rules.AlreadyDecided);
        ThenRefused(CaseDecider.Withdraw(Given(Submitted()), new WithdrawCase(""), At(3, 6)), Rules.ReasonRequired);
        Then<CaseWithdrawn>(CaseDecider.Withdraw(Given(Submitted()), new WithdrawCase("changed my mind"), At(3, 6)));
    }

    [Fact]
    public void A_transfer_carries_every_material_to_the_deciding_hall()
    {
        var moved = Then<CaseTransferred>(CaseDecider.Transfer(Given(Submitted(), Accepted()), new TransferCase("city-hall", "初审 done"), At(3, 5)));
        moved.Materials.ShouldBe(["application-form", "site-plan"]);
        ThenRefused(CaseDecider.Transfer(Given(Submitted()), new TransferCase("city-hall", "x"), At(3, 5)), Rules.InvalidState);
    }

    [Fact]
    public void A_commitment_case_is_approved_on_acceptance_and_a_false_post_check_revokes_its_licence()
    {
        var def = MatterDef(commitment: new CommitmentSpec(20));
        var d = CaseDecider.Accept(Given(Submitted(def, commitment: true)), new AcceptCase([]), At(3, 3));
        var approved = Then<CaseApproved>(d, 1);
        approved.PostCheckDueDate.ShouldBe(Calendar2026.Calendar.AddWorkingDays(new DateOnly(2026, 3, 3), 20));

        var state = d.Events.Aggregate(Given(Submitted(def, commitment: true)), Case.Evolve);
        state = Case.Evolve(state, new LicenceIssued(Id, "L-1", null, At(3, 4).Now));
        var check = CaseDecider.RecordPostCheck(state, new RecordPostCheck(PostCheckOutcome.False, "address is fake"), At(3, 20));
        check.Events.Select(e => e.GetType()).ShouldBe([typeof(PostCheckRecorded), typeof(LicenceRevoked)]);
        check.Events.Aggregate(state, Case.Evolve).Status.ShouldBe(CaseStatus.Revoked);
    }

    [Fact]
    public void A_completing_supplement_starts_the_acceptance_window_again()
    {
        var state = Given(Submitted(materials: ["application-form"]), new SupplementRequested(Id, ["site-plan"], "", false, false, At(3, 3).Now));
        var supplemented = Then<MaterialsSupplemented>(CaseDecider.Supplement(state, new Supplement(["site-plan"]), At(3, 10)));
        supplemented.AcceptanceDueDate.ShouldBe(new DateOnly(2026, 3, 17));
        state = Case.Evolve(state, supplemented);
        CaseDecider.DeemAccepted(state, At(3, 17)).Events.ShouldBeEmpty();
        Then<CaseDeemedAccepted>(CaseDecider.DeemAccepted(state, At(3, 18))).EffectiveDate.ShouldBe(new DateOnly(2026, 3, 10));
    }

    [Fact]
    public void A_deferred_material_missing_after_its_due_date_is_recorded_once_delivered_it_is_not()
    {
        var state = Given(Submitted(materials: ["application-form"]),
            new CaseAccepted(Id, [new DeferredMaterial("site-plan", new DateOnly(2026, 3, 10))], new DateOnly(2026, 3, 3), new DateOnly(2026, 3, 17), new DateOnly(2026, 3, 31), At(3, 3).Now));
        CaseDecider.FlagDeferredOverdue(state, "site-plan", At(3, 10)).Events.ShouldBeEmpty();
        Then<DeferredMaterialOverdue>(CaseDecider.FlagDeferredOverdue(state, "site-plan", At(3, 11))).DueDate.ShouldBe(new DateOnly(2026, 3, 10));
        var delivered = Case.Evolve(state, new MaterialsSupplemented(Id, ["site-plan"], new DateOnly(2026, 3, 9), null, At(3, 9).Now));
        CaseDecider.FlagDeferredOverdue(delivered, "site-plan", At(3, 11)).Events.ShouldBeEmpty();
    }

    [Fact]
    public void A_post_check_not_done_by_its_due_date_is_recorded()
    {
        var state = Given(Submitted(MatterDef(commitment: new CommitmentSpec(5)), commitment: true), Accepted(),
            new CaseApproved(Id, "commitment", ApprovalRoute.Commitment, "notification-commitment", new DateOnly(2026, 3, 17), new DateOnly(2026, 3, 10), At(3, 3).Now));
        CaseDecider.FlagPostCheckOverdue(state, At(3, 10)).Events.ShouldBeEmpty();
        Then<PostCheckOverdue>(CaseDecider.FlagPostCheckOverdue(state, At(3, 11)));
        var checkedState = Case.Evolve(state, new PostCheckRecorded(Id, PostCheckOutcome.Confirmed, "", At(3, 9).Now));
        CaseDecider.FlagPostCheckOverdue(checkedState, At(3, 11)).Events.ShouldBeEmpty();
    }

    [Fact]
    public void An_acceptance_after_the_five_day_window_counts_from_receipt()
    {
        // Received Mon 2 Mar; the window ends Mon 9 Mar; accepted on Wed 11 Mar.
        var accepted = Then<CaseAccepted>(CaseDecider.Accept(Given(Submitted()), new AcceptCase([]), At(3, 11)));
        accepted.ClockStart.ShouldBe(new DateOnly(2026, 3, 2));
        accepted.PromisedDeadline.ShouldBe(Calendar2026.Calendar.AddWorkingDays(new DateOnly(2026, 3, 2), 10));
        Then<CaseAccepted>(CaseDecider.Accept(Given(Submitted()), new AcceptCase([]), At(3, 9))).ClockStart.ShouldBe(new DateOnly(2026, 3, 9));
    }

    [Fact]
    public void A_deemed_accepted_commitment_case_is_approved_on_commitment()
    {
        var def = MatterDef(commitment: new CommitmentSpec(20));
        var d = CaseDecider.DeemAccepted(Given(Submitted(def, commitment: true)), At(3, 10));
        Then<CaseDeemedAccepted>(d);
        Then<CaseApproved>(d, 1).PostCheckDueDate.ShouldBe(Calendar2026.Calendar.AddWorkingDays(new DateOnly(2026, 3, 10), 20));
    }

    [Fact]
    public void A_post_check_on_an_ordinary_case_is_refused() =>
        ThenRefused(CaseDecider.RecordPostCheck(Given(Submitted(), Accepted()), new RecordPostCheck(PostCheckOutcome.Confirmed, ""), At(3, 5)), Rules.PostCheckNotApplicable);

    [Fact]
    public void Refusals_of_intake_say_what_was_wrong_not_invalid_state()
    {
        ThenRefused(CaseDecider.Submit(SubmitCmd(new Matter(), "application-form"), At(3, 2)), Rules.MatterUnknown);
        var submitted = Given(Submitted());
        ThenRefused(CaseDecider.Supplement(submitted, new Supplement([]), At(3, 3)), Rules.MaterialsRequired);
        ThenRefused(CaseDecider.Supplement(submitted, new Supplement(["passport"]), At(3, 3)), Rules.MaterialUnknown);
        ThenRefused(CaseDecider.RequestSupplement(submitted, new RequestSupplement(["passport"], ""), At(3, 3)), Rules.MaterialUnknown);
        ThenRefused(CaseDecider.Transfer(Given(Submitted(), Accepted()), new TransferCase(" ", "x"), At(3, 5)), Rules.HallRequired);
        ThenRefused(CaseDecider.Accept(Case.Initial, new AcceptCase([]), At(3, 3)), Rules.NotFound);
    }
}
