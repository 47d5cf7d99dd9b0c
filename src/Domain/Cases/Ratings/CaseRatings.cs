using System.Collections.Immutable;

namespace GovEvents.Domain.Cases;

/// <summary>One rating and where its follow-up stands.</summary>
public sealed record RatingState(
    string Id, RatingStage Stage, int Level, DateOnly? CallbackDueDate, DateOnly? RectificationDueDate,
    bool CalledBack = false, bool Rectified = false, bool CallbackOverdue = false, bool RectificationOverdue = false,
    bool Appealed = false, bool AppealDecided = false, bool Excluded = false)
{
    public bool Bad => Level <= CaseRatings.BadLevel;
    /// <summary>A bad review still being followed up: not rectified and not excluded on appeal.</summary>
    public bool FollowUpOpen => Bad && !Rectified && !Excluded;
}

/// <summary>The ratings of a case (好差评), one per stage.</summary>
public sealed record CaseRatings(ImmutableList<RatingState> All)
{
    public const int BadLevel = 2;

    public static readonly CaseRatings None = new([]);

    public RatingState? Find(string ratingId) => All.FirstOrDefault(r => r.Id == ratingId);
    public RatingState? ForStage(RatingStage stage) => All.FirstOrDefault(r => r.Stage == stage);

    public static CaseRatings Evolve(CaseRatings state, ICaseRatingEvent e) => e switch
    {
        RatingSubmitted s => new(state.All.Add(new RatingState(s.RatingId, s.Stage, s.Level, s.CallbackDueDate, s.RectificationDueDate))),
        RatingCalledBack => state.Update(e.RatingId, r => r with { CalledBack = true }),
        RatingRectified => state.Update(e.RatingId, r => r with { Rectified = true }),
        RatingCallbackOverdue => state.Update(e.RatingId, r => r with { CallbackOverdue = true }),
        RatingRectificationOverdue => state.Update(e.RatingId, r => r with { RectificationOverdue = true }),
        RatingAppealed => state.Update(e.RatingId, r => r with { Appealed = true }),
        RatingAppealDecided d => state.Update(e.RatingId, r => r with { AppealDecided = true, Excluded = d.Upheld }),
        _ => state,
    };

    private CaseRatings Update(string ratingId, Func<RatingState, RatingState> change) =>
        new(All.Select(r => r.Id == ratingId ? change(r) : r).ToImmutableList());
}
