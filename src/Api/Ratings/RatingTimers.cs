using GovEvents.Api.Cases;
using GovEvents.Domain;
using GovEvents.Domain.Cases;
using GovEvents.Domain.Time;
using GovEvents.Store;
using GovEvents.Store.Timers;

namespace GovEvents.Api.Ratings;

/// <summary>
/// A bad review's callback and rectification on the store's durable timers: one timer each per
/// rating, cancelled when done (or when an appeal excludes the review); if it fires first, the
/// decider records the overdue step once.
/// </summary>
public static class RatingTimers
{
    public const string CallbackOverdue = "rating-callback-overdue";
    public const string RectificationOverdue = "rating-rectification-overdue";

    public static TimerRegistry AddRatingTimers(this TimerRegistry timers, HallClock hall, Func<CaseCommands> handler)
    {
        timers
            .On<RatingSubmitted>(e => e is { CallbackDueDate: { } callback, RectificationDueDate: { } rectification }
                ? [TimerInstruction.Schedule($"{CallbackOverdue}:{e.RatingId}", hall.EndOf(callback)),
                   TimerInstruction.Schedule($"{RectificationOverdue}:{e.RatingId}", hall.EndOf(rectification))]
                : [])
            .On<RatingCalledBack>(e => TimerInstruction.Cancel($"{CallbackOverdue}:{e.RatingId}"))
            .On<RatingRectified>(e => TimerInstruction.Cancel($"{RectificationOverdue}:{e.RatingId}"))
            .On<RatingAppealDecided>(e => e.Upheld
                ? [TimerInstruction.Cancel($"{CallbackOverdue}:{e.RatingId}"), TimerInstruction.Cancel($"{RectificationOverdue}:{e.RatingId}")]
                : []);

        timers.Handle(CallbackOverdue, (t, ct) =>
            CaseTimers.Decide(handler(), t, (s, c) => CaseDecider.FlagRatingCallbackOverdue(s, CaseTimers.Qualifier(t.Kind), c), ct));
        timers.Handle(RectificationOverdue, (t, ct) =>
            CaseTimers.Decide(handler(), t, (s, c) => CaseDecider.FlagRatingRectificationOverdue(s, CaseTimers.Qualifier(t.Kind), c), ct));
        return timers;
    }
}
