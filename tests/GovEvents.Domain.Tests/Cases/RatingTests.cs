using GovEvents.Domain.Cases;
using GovEvents.Domain.Catalogue;
using Shouldly;
using Case = GovEvents.Domain.Cases.Case;

namespace GovEvents.Domain.Tests.Cases;

public sealed class RatingTests : CaseSpec
{
    private static readonly RatingDeadlines Defaults = new();

    private static RateCase Rate(RatingStage stage, int level, string id = "r-1", string comment = "等了很久") =>
        new(id, stage, level, comment, true, "applicant-1", Defaults);

    private static Case After(Case state, Decision d)
    {
        d.IsRefused.ShouldBeFalse(d.Refusal?.Detail);
        return d.Events.Aggregate(state, Case.Evolve);
    }

    private static readonly Case AcceptedCase = Given(Submitted(MatterDef(tiers: 1)), Accepted());
    private static readonly Case BadReview = After(AcceptedCase, CaseDecider.Rate(AcceptedCase, Rate(RatingStage.Acceptance, 1), At(3, 4)));
    private static RecordRatingFollowUp Note(string id = "r-1") => new(id, "已电话回访", "manager-1");

    [Fact]
    public void A_stage_is_rated_once_it_has_happened()
    {
        var submitted = Given(Submitted(MatterDef(tiers: 1)));
        ThenRefused(CaseDecider.Rate(submitted, Rate(RatingStage.Acceptance, 5), At(3, 2)), Rules.InvalidState);
        ThenRefused(CaseDecider.Rate(AcceptedCase, Rate(RatingStage.Completion, 5), At(3, 4)), Rules.InvalidState);
        Then<RatingSubmitted>(CaseDecider.Rate(AcceptedCase, Rate(RatingStage.Acceptance, 5), At(3, 4))).Bad.ShouldBeFalse();

        var refused = Given(Submitted(), new CaseNotAccepted(Id, "不符合", "第三十二条", At(3, 3).Now));
        Then<RatingSubmitted>(CaseDecider.Rate(refused, Rate(RatingStage.Acceptance, 2), At(3, 4)));
        Then<RatingSubmitted>(CaseDecider.Rate(refused, Rate(RatingStage.Completion, 3), At(3, 4)));

        var decided = After(AcceptedCase, CaseDecider.Sign(AcceptedCase, Sign(Tier.Approver, "a1"), At(3, 4)));
        Then<RatingSubmitted>(CaseDecider.Rate(decided, Rate(RatingStage.Completion, 4), At(3, 5)));
    }

    [Fact]
    public void A_second_rating_for_a_stage_is_refused_but_the_other_stage_may_be_rated()
    {
        var rated = After(AcceptedCase, CaseDecider.Rate(AcceptedCase, Rate(RatingStage.Acceptance, 5), At(3, 4)));
        ThenRefused(CaseDecider.Rate(rated, Rate(RatingStage.Acceptance, 4, "r-2"), At(3, 4)), Rules.RatingExists);
        var decided = After(rated, CaseDecider.Sign(rated, Sign(Tier.Approver, "a1"), At(3, 4)));
        Then<RatingSubmitted>(CaseDecider.Rate(decided, Rate(RatingStage.Completion, 4, "r-2"), At(3, 5)));
    }

    [Fact]
    public void A_level_outside_one_to_five_is_refused()
    {
        ThenRefused(CaseDecider.Rate(AcceptedCase, Rate(RatingStage.Acceptance, 0), At(3, 4)), Rules.RatingLevelInvalid);
        ThenRefused(CaseDecider.Rate(AcceptedCase, Rate(RatingStage.Acceptance, 6), At(3, 4)), Rules.RatingLevelInvalid);
    }

    [Fact]
    public void A_bad_review_says_what_went_wrong_and_gets_callback_and_rectification_due_dates_in_working_days()
    {
        ThenRefused(CaseDecider.Rate(AcceptedCase, Rate(RatingStage.Acceptance, 2, comment: " "), At(3, 4)), Rules.ReasonRequired);
        // Friday 2026-04-03: the Qingming holiday (4-4..4-6) falls between.
        var rating = Then<RatingSubmitted>(CaseDecider.Rate(AcceptedCase, Rate(RatingStage.Acceptance, 2), At(4, 3)));
        rating.CallbackDueDate.ShouldBe(new DateOnly(2026, 4, 7));
        rating.RectificationDueDate.ShouldBe(Calendar2026.Calendar.AddWorkingDays(new DateOnly(2026, 4, 3), 15));
        var custom = Then<RatingSubmitted>(CaseDecider.Rate(AcceptedCase, Rate(RatingStage.Acceptance, 1) with { Deadlines = new(2, 5) }, At(3, 4)));
        (custom.CallbackDueDate, custom.RectificationDueDate).ShouldBe((new DateOnly(2026, 3, 6), new DateOnly(2026, 3, 11)));
        Then<RatingSubmitted>(CaseDecider.Rate(AcceptedCase, Rate(RatingStage.Acceptance, 3), At(3, 4))).CallbackDueDate.ShouldBeNull();
    }

    [Fact]
    public void A_bad_review_is_called_back_then_rectified_and_its_follow_up_closes()
    {
        ThenRefused(CaseDecider.RecordRatingRectification(BadReview, Note(), At(3, 4)), Rules.InvalidState);
        var called = After(BadReview, CaseDecider.RecordRatingCallback(BadReview, Note(), At(3, 5)));
        ThenRefused(CaseDecider.RecordRatingCallback(called, Note(), At(3, 5)), Rules.CallbackExists);
        var rectified = CaseDecider.RecordRatingRectification(called, Note(), At(3, 6));
        Then<RatingRectified>(rectified).Late.ShouldBeFalse();
        After(called, rectified).Ratings.Find("r-1")!.FollowUpOpen.ShouldBeFalse();
    }

    [Fact]
    public void A_callback_past_its_due_date_is_recorded_late() =>
        Then<RatingCalledBack>(CaseDecider.RecordRatingCallback(BadReview, Note(), At(3, 6))).Late.ShouldBeTrue();

    [Fact]
    public void Only_a_bad_review_of_the_case_is_followed_up()
    {
        var good = After(AcceptedCase, CaseDecider.Rate(AcceptedCase, Rate(RatingStage.Acceptance, 4), At(3, 4)));
        ThenRefused(CaseDecider.RecordRatingCallback(good, Note(), At(3, 4)), Rules.RatingNotBad);
        ThenRefused(CaseDecider.RecordRatingCallback(BadReview, Note("r-x"), At(3, 4)), CaseDecider.RatingNotFound);
        ThenRefused(CaseDecider.AppealRating(good, new AppealRating("r-1", "误评", "market-h1"), At(3, 4)), Rules.RatingNotBad);
    }

    [Fact]
    public void Overdue_callback_and_rectification_are_recorded_once_and_not_when_done_in_time()
    {
        CaseDecider.FlagRatingCallbackOverdue(BadReview, "r-1", At(3, 5)).Events.ShouldBeEmpty();
        var overdue = Then<RatingCallbackOverdue>(CaseDecider.FlagRatingCallbackOverdue(BadReview, "r-1", At(3, 6)));
        overdue.DueDate.ShouldBe(new DateOnly(2026, 3, 5));
        var flagged = After(BadReview, Decision.Of(overdue));
        CaseDecider.FlagRatingCallbackOverdue(flagged, "r-1", At(3, 9)).Events.ShouldBeEmpty();

        var called = After(BadReview, CaseDecider.RecordRatingCallback(BadReview, Note(), At(3, 5)));
        CaseDecider.FlagRatingCallbackOverdue(called, "r-1", At(3, 9)).Events.ShouldBeEmpty();
        var rectified = After(called, CaseDecider.RecordRatingRectification(called, Note(), At(3, 6)));
        CaseDecider.FlagRatingRectificationOverdue(rectified, "r-1", At(4, 30)).Events.ShouldBeEmpty();
        Then<RatingRectificationOverdue>(CaseDecider.FlagRatingRectificationOverdue(called, "r-1", At(4, 30)));
    }

    [Fact]
    public void An_appeal_upheld_excludes_the_review_and_ends_its_follow_up()
    {
        ThenRefused(CaseDecider.DecideRatingAppeal(BadReview, new DecideRatingAppeal("r-1", true, "恶意差评", "manager-1"), At(3, 5)), Rules.InvalidState);
        ThenRefused(CaseDecider.AppealRating(BadReview, new AppealRating("r-1", " ", "market-h1"), At(3, 5)), Rules.ReasonRequired);
        var appealed = After(BadReview, CaseDecider.AppealRating(BadReview, new AppealRating("r-1", "申请人误评", "market-h1"), At(3, 5)));
        ThenRefused(CaseDecider.AppealRating(appealed, new AppealRating("r-1", "again", "market-h1"), At(3, 5)), Rules.AppealExists);
        var excluded = After(appealed, CaseDecider.DecideRatingAppeal(appealed, new DecideRatingAppeal("r-1", true, "核实为误评", "manager-1"), At(3, 5)));
        excluded.Ratings.Find("r-1")!.Excluded.ShouldBeTrue();
        ThenRefused(CaseDecider.RecordRatingCallback(excluded, Note(), At(3, 5)), Rules.InvalidState);
        CaseDecider.FlagRatingCallbackOverdue(excluded, "r-1", At(3, 9)).Events.ShouldBeEmpty();
        ThenRefused(CaseDecider.DecideRatingAppeal(excluded, new DecideRatingAppeal("r-1", false, "again", "manager-1"), At(3, 5)), Rules.AlreadyDecided);
    }

    [Fact]
    public void An_appeal_rejected_keeps_the_review_and_its_follow_up()
    {
        var appealed = After(BadReview, CaseDecider.AppealRating(BadReview, new AppealRating("r-1", "申请人误评", "market-h1"), At(3, 5)));
        var rejected = After(appealed, CaseDecider.DecideRatingAppeal(appealed, new DecideRatingAppeal("r-1", false, "评价属实", "manager-1"), At(3, 5)));
        rejected.Ratings.Find("r-1")!.Excluded.ShouldBeFalse();
        Then<RatingCalledBack>(CaseDecider.RecordRatingCallback(rejected, Note(), At(3, 5)));
    }
}
