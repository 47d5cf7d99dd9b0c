namespace GovEvents.Domain.Cases;

/// <summary>The service stages rated (一次一评): acceptance and completion.</summary>
public enum RatingStage { Acceptance, Completion }

/// <summary>An event of a rating (好差评) of the case, folded by <see cref="CaseRatings.Evolve"/>.</summary>
public interface ICaseRatingEvent : ICaseEvent
{
    string RatingId { get; }
}

/// <summary>
/// A rating, 5 非常满意 … 1 非常不满意, by the applicant or agent (or a clerk for them). A bad review
/// (1–2) carries the due dates of its callback (回访) and rectification (整改).
/// </summary>
public sealed record RatingSubmitted(
    string CaseId, string RatingId, RatingStage Stage, int Level, string Comment, bool RealName, string RatedBy,
    DateOnly? CallbackDueDate, DateOnly? RectificationDueDate, DateTimeOffset RatedAt) : ICaseRatingEvent
{
    public bool Bad => Level <= CaseRatings.BadLevel;
}

/// <summary>回访: the office called the rater back about a bad review.</summary>
public sealed record RatingCalledBack(string CaseId, string RatingId, string Note, string By, bool Late, DateTimeOffset CalledBackAt) : ICaseRatingEvent;
/// <summary>整改: what was put right after a bad review; closes its follow-up.</summary>
public sealed record RatingRectified(string CaseId, string RatingId, string Note, string By, bool Late, DateTimeOffset RectifiedAt) : ICaseRatingEvent;
/// <summary>System record: a bad review was not called back by its due date.</summary>
public sealed record RatingCallbackOverdue(string CaseId, string RatingId, DateOnly DueDate, DateTimeOffset RecordedAt) : ICaseRatingEvent;
/// <summary>System record: a bad review was not rectified by its due date.</summary>
public sealed record RatingRectificationOverdue(string CaseId, string RatingId, DateOnly DueDate, DateTimeOffset RecordedAt) : ICaseRatingEvent;
/// <summary>申诉: the office asks for a mistaken or malicious review to be excluded.</summary>
public sealed record RatingAppealed(string CaseId, string RatingId, string Reason, string By, DateTimeOffset AppealedAt) : ICaseRatingEvent;
/// <summary>The hall's decision on an appeal; upheld, the review is excluded from statistics and its follow-up ends.</summary>
public sealed record RatingAppealDecided(string CaseId, string RatingId, bool Upheld, string Note, string By, DateTimeOffset DecidedAt) : ICaseRatingEvent;

/// <summary>Stable storage names of these events, never the CLR names: renaming a type keeps what is stored.</summary>
public static class CaseRatingEventNames
{
    public static readonly IReadOnlyList<(Type Type, string Name)> All =
    [
        (typeof(RatingSubmitted), "rating_submitted"),
        (typeof(RatingCalledBack), "rating_called_back"),
        (typeof(RatingRectified), "rating_rectified"),
        (typeof(RatingCallbackOverdue), "rating_callback_overdue"),
        (typeof(RatingRectificationOverdue), "rating_rectification_overdue"),
        (typeof(RatingAppealed), "rating_appealed"),
        (typeof(RatingAppealDecided), "rating_appeal_decided"),
    ];
}
