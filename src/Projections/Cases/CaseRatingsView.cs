using System.Collections.Immutable;
using GovEvents.Domain.Cases;

namespace GovEvents.Projections.Cases;

public sealed record RatingFollowUpView(DateOnly DueDate, DateTimeOffset? DoneAt, string? Note, string? By, bool Late, bool Overdue);
public sealed record RatingAppealView(string Reason, string By, DateTimeOffset AppealedAt, bool? Upheld, string? DecisionNote, DateTimeOffset? DecidedAt);

/// <summary>
/// A rating (好差评) in the case view. A bad review (level 1–2) carries its callback and
/// rectification; <see cref="FollowUp"/> says where it stands: callback, rectification, closed, or
/// excluded (an appeal upheld: left out of statistics). Good reviews have none.
/// </summary>
public sealed record RatingView(
    string RatingId, string Stage, int Level, string Comment, bool RealName, string RatedBy, DateTimeOffset RatedAt, bool Bad,
    RatingFollowUpView? Callback, RatingFollowUpView? Rectification, RatingAppealView? Appeal, bool Excluded)
{
    public string? FollowUp => !Bad ? null
        : Excluded ? "excluded"
        : Rectification?.DoneAt is not null ? "closed"
        : Callback?.DoneAt is not null ? "rectification"
        : "callback";
}

public static class CaseRatingsView
{
    public static ImmutableList<RatingView> Apply(ImmutableList<RatingView> ratings, ICaseRatingEvent e)
    {
        if (e is RatingSubmitted s)
            return ratings.Add(new RatingView(s.RatingId, CaseViewBuilder.Kebab(s.Stage), s.Level, s.Comment, s.RealName, s.RatedBy, s.RatedAt, s.Bad,
                s.CallbackDueDate is { } cb ? new RatingFollowUpView(cb, null, null, null, false, false) : null,
                s.RectificationDueDate is { } rd ? new RatingFollowUpView(rd, null, null, null, false, false) : null,
                null, false));
        return [.. ratings.Select(r => r.RatingId != e.RatingId ? r : e switch
        {
            RatingCalledBack c => r with { Callback = r.Callback! with { DoneAt = c.CalledBackAt, Note = c.Note, By = c.By, Late = c.Late } },
            RatingRectified x => r with { Rectification = r.Rectification! with { DoneAt = x.RectifiedAt, Note = x.Note, By = x.By, Late = x.Late } },
            RatingCallbackOverdue => r with { Callback = r.Callback! with { Overdue = true } },
            RatingRectificationOverdue => r with { Rectification = r.Rectification! with { Overdue = true } },
            RatingAppealed a => r with { Appeal = new RatingAppealView(a.Reason, a.By, a.AppealedAt, null, null, null) },
            RatingAppealDecided d => r with
            {
                Appeal = r.Appeal! with { Upheld = d.Upheld, DecisionNote = d.Note, DecidedAt = d.DecidedAt },
                Excluded = d.Upheld,
            },
            _ => r,
        })];
    }
}
