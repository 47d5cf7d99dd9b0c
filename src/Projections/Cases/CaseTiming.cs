using GovEvents.Domain.Time;

namespace GovEvents.Projections.Cases;

/// <summary>
/// What depends on "now" for a case view: the traffic light (电子监察) and the working days used,
/// net of stopped days. Computed at read time so the stored view stays deterministic.
/// </summary>
public static class CaseTiming
{
    public const string Green = "green", Yellow = "yellow", Red = "red", Breach = "breach";

    /// <summary>
    /// green; yellow when ≤ 2 working days or ≤ 20 % of the promised limit remain; red past the
    /// promised deadline; breach past the statutory one. Null on closed and transferred cases. A decided case keeps
    /// the colour of its decision day.
    /// </summary>
    public static string? Light(CaseView view, DateOnly today, WorkingCalendar calendar, HallClock hall)
    {
        if (view.IsOutOfHand) return null;
        if (view.PromisedDeadline is not { } promised || view.StatutoryDeadline is not { } statutory) return Green;
        var day = view.DecidedAt is { } decided ? hall.DateOf(decided) : today;
        // An open stop (that does not count toward the limit) pushes the deadlines day by day.
        var open = OpenStoppedDays(view, day, calendar);
        if (open > 0)
        {
            promised = calendar.AddWorkingDays(promised, open);
            statutory = calendar.AddWorkingDays(statutory, open);
        }
        if (day > statutory) return Breach;
        if (day > promised) return Red;
        if (view.DecidedAt is not null) return Green;
        var remaining = calendar.WorkingDaysBetween(day, promised);
        return remaining <= 2 || remaining <= 0.2 * view.PromisedDays ? Yellow : Green;
    }

    /// <summary>Working days from the start of the clock to the decision (or today), net of stopped days.</summary>
    public static int WorkingDaysUsed(CaseView view, DateOnly today, WorkingCalendar calendar, HallClock hall)
    {
        if (view.ClockStart is not { } start) return 0;
        var end = view.DecidedAt is { } decided ? hall.DateOf(decided) : (view.ClosedAt ?? view.TransferredAt) is { } closed ? hall.DateOf(closed) : today;
        var used = calendar.WorkingDaysBetween(start, end) - view.SuspendedDays - OpenStoppedDays(view, end, calendar);
        return Math.Max(0, used);
    }

    private static int OpenStoppedDays(CaseView view, DateOnly day, WorkingCalendar calendar) =>
        view.Status == "suspended" && view.Suspensions.Count > 0 && view.Suspensions[^1] is { ResumedAt: null, CountsTowardLimit: false } s
            ? calendar.WorkingDaysBetween(s.SuspendedOn, day)
            : 0;
}
