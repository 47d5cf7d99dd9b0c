namespace GovEvents.Domain.Cases;

/// <summary>Working days a bad review has for its callback and its rectification (local rule; defaults 1 and 15).</summary>
public sealed record RatingDeadlines(int CallbackDays = 1, int RectificationDays = 15);

public sealed record RateCase(string RatingId, RatingStage Stage, int Level, string Comment, bool RealName, string RatedBy, RatingDeadlines Deadlines);
public sealed record RecordRatingFollowUp(string RatingId, string Note, string By);
public sealed record AppealRating(string RatingId, string Reason, string By);
public sealed record DecideRatingAppeal(string RatingId, bool Upheld, string Note, string By);

/// <summary>
/// 好差评 (国办发〔2019〕51号, GB/T 39734-2020): one rating per case and stage, once the stage has
/// happened; a bad review is called back and rectified by its due dates, or appealed and excluded.
/// </summary>
public static partial class CaseDecider
{
    /// <summary>Refusal code for a rating the case does not have (the API's 404).</summary>
    public const string RatingNotFound = Rules.NotFound;

    public static Decision Rate(Case state, RateCase c, CaseClock clock)
    {
        if (!state.Exists) return InvalidState(state, "rate");
        if (c.Level is < 1 or > 5) return Decision.Refuse(Rules.RatingLevelInvalid, "A rating is a level from 1 to 5.");
        if (!StageHappened(state, c.Stage))
            return Decision.Refuse(Rules.InvalidState, c.Stage == RatingStage.Acceptance
                ? "The acceptance stage is rated once the application was accepted (or refused)."
                : "The completion stage is rated once the case is decided or closed.");
        if (state.Ratings.ForStage(c.Stage) is not null)
            return Decision.Refuse(Rules.RatingExists, $"The {Kebab(c.Stage)} stage of this case is already rated (一次一评).");
        var bad = c.Level <= CaseRatings.BadLevel;
        if (bad && string.IsNullOrWhiteSpace(c.Comment))
            return Decision.Refuse(Rules.ReasonRequired, "A bad review says what went wrong, so that it can be put right.");
        return Decision.Of(new RatingSubmitted(state.Id, c.RatingId, c.Stage, c.Level, c.Comment ?? "", c.RealName, c.RatedBy,
            bad ? clock.Calendar.AddWorkingDays(clock.Today, c.Deadlines.CallbackDays) : null,
            bad ? clock.Calendar.AddWorkingDays(clock.Today, c.Deadlines.RectificationDays) : null, clock.Now));
    }

    /// <summary>Acceptance: the application was answered (accepted, deemed accepted or refused). Completion: decided or closed.</summary>
    private static bool StageHappened(Case state, RatingStage stage) => stage switch
    {
        RatingStage.Acceptance => state.ClockStart is not null || state.Status == CaseStatus.NotAccepted,
        _ => state.Decided || state.Closed,
    };

    /// <summary>回访: once, for a bad review still followed up; late when past its due date.</summary>
    public static Decision RecordRatingCallback(Case state, RecordRatingFollowUp c, CaseClock clock)
    {
        if (FollowUpRefusal(state, c.RatingId, "called back") is { } refused) return refused;
        var rating = state.Ratings.Find(c.RatingId)!;
        if (rating.CalledBack) return Decision.Refuse(Rules.CallbackExists, "The callback of this review is already recorded.");
        return Decision.Of(new RatingCalledBack(state.Id, rating.Id, c.Note, c.By, clock.Today > rating.CallbackDueDate, clock.Now));
    }

    /// <summary>整改: after the callback; closes the follow-up of the bad review.</summary>
    public static Decision RecordRatingRectification(Case state, RecordRatingFollowUp c, CaseClock clock)
    {
        if (FollowUpRefusal(state, c.RatingId, "rectified") is { } refused) return refused;
        var rating = state.Ratings.Find(c.RatingId)!;
        if (!rating.CalledBack) return Decision.Refuse(Rules.InvalidState, "A bad review is called back before its rectification is recorded.");
        return Decision.Of(new RatingRectified(state.Id, rating.Id, c.Note, c.By, clock.Today > rating.RectificationDueDate, clock.Now));
    }

    private static Decision? FollowUpRefusal(Case state, string ratingId, string what)
    {
        if (state.Ratings.Find(ratingId) is not { } rating) return Decision.Refuse(RatingNotFound, $"No rating {ratingId} on this case.");
        if (!rating.Bad) return Decision.Refuse(Rules.RatingNotBad, $"Only a bad review (level 1–2) is {what}.");
        if (rating.Excluded) return Decision.Refuse(Rules.InvalidState, "The review was excluded on appeal; its follow-up has ended.");
        if (rating.Rectified) return Decision.Refuse(Rules.InvalidState, "The review is already rectified; its follow-up is closed.");
        return null;
    }

    /// <summary>申诉: a bad review thought mistaken or malicious is appealed once.</summary>
    public static Decision AppealRating(Case state, AppealRating c, CaseClock clock)
    {
        if (state.Ratings.Find(c.RatingId) is not { } rating) return Decision.Refuse(RatingNotFound, $"No rating {c.RatingId} on this case.");
        if (!rating.Bad) return Decision.Refuse(Rules.RatingNotBad, "Only a bad review (level 1–2) may be appealed.");
        if (rating.Appealed) return Decision.Refuse(Rules.AppealExists, "This review has already been appealed.");
        if (string.IsNullOrWhiteSpace(c.Reason)) return Decision.Refuse(Rules.ReasonRequired, "An appeal says why the review is mistaken or malicious.");
        return Decision.Of(new RatingAppealed(state.Id, rating.Id, c.Reason, c.By, clock.Now));
    }

    /// <summary>The hall decides an appeal: upheld, the review is excluded from statistics.</summary>
    public static Decision DecideRatingAppeal(Case state, DecideRatingAppeal c, CaseClock clock)
    {
        if (state.Ratings.Find(c.RatingId) is not { } rating) return Decision.Refuse(RatingNotFound, $"No rating {c.RatingId} on this case.");
        if (!rating.Appealed) return Decision.Refuse(Rules.InvalidState, "This review has not been appealed.");
        if (rating.AppealDecided) return Decision.Refuse(Rules.AlreadyDecided, "The appeal is already decided.");
        if (string.IsNullOrWhiteSpace(c.Note)) return Decision.Refuse(Rules.ReasonRequired, "The decision on an appeal states its grounds.");
        return Decision.Of(new RatingAppealDecided(state.Id, rating.Id, c.Upheld, c.Note, c.By, clock.Now));
    }

    /// <summary>Timer: a bad review not called back by its due date is recorded once.</summary>
    public static Decision FlagRatingCallbackOverdue(Case state, string ratingId, CaseClock clock) =>
        state.Ratings.Find(ratingId) is { FollowUpOpen: true, CalledBack: false, CallbackOverdue: false, CallbackDueDate: { } due }
        && clock.Today > due
            ? Decision.Of(new RatingCallbackOverdue(state.Id, ratingId, due, clock.Now))
            : Decision.Nothing;

    /// <summary>Timer: a bad review not rectified by its due date is recorded once.</summary>
    public static Decision FlagRatingRectificationOverdue(Case state, string ratingId, CaseClock clock) =>
        state.Ratings.Find(ratingId) is { FollowUpOpen: true, RectificationOverdue: false, RectificationDueDate: { } due }
        && clock.Today > due
            ? Decision.Of(new RatingRectificationOverdue(state.Id, ratingId, due, clock.Now))
            : Decision.Nothing;

    private static string Kebab(RatingStage stage) => stage.ToString().ToLowerInvariant();
}
