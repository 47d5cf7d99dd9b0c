namespace GovEvents.Domain.Supervision;

/// <summary>An event of an alert's stream (预警): raised, reviewed (纠错), resolved.</summary>
public interface IAlertEvent
{
    string AlertId { get; }
}

/// <summary>
/// A soft rule was broken: the alert names its case or complaint (and rating), the department, window
/// and staff it belongs to, and when it was first seen (the time of the event that showed it).
/// </summary>
public sealed record AlertRaised(
    string AlertId, string Rule, string? CaseId, string? ComplaintId, string? RatingId, string DepartmentCode, string? WindowCode,
    string? StaffId, string Detail, DateTimeOffset FirstSeen) : IAlertEvent;

/// <summary>预警纠错: a hall manager or leader reviewed the alert and recorded the correction.</summary>
public sealed record AlertReviewed(string AlertId, string Note, string By, DateTimeOffset ReviewedAt) : IAlertEvent;

/// <summary>
/// The alert is over: an anomaly when reviewed; a deadline when the awaited act happened (or the case
/// or complaint ended without it), named by <paramref name="Cause"/>.
/// </summary>
public sealed record AlertResolved(string AlertId, string Cause, DateTimeOffset ResolvedAt) : IAlertEvent;

/// <summary>Stable storage names of these events, never the CLR names: renaming a type keeps what is stored.</summary>
public static class AlertEventNames
{
    public static readonly IReadOnlyList<(Type Type, string Name)> All =
    [
        (typeof(AlertRaised), "alert_raised"),
        (typeof(AlertReviewed), "alert_reviewed"),
        (typeof(AlertResolved), "alert_resolved"),
    ];
}

/// <summary>An alert as its decisions need it.</summary>
public sealed record Alert
{
    public string Id { get; init; } = "";
    public string Rule { get; init; } = "";
    public bool Resolved { get; init; }
    public bool Exists => Id.Length > 0;

    public static readonly Alert Initial = new();

    public static Alert Evolve(Alert state, object e) => e switch
    {
        AlertRaised r => new Alert { Id = r.AlertId, Rule = r.Rule },
        AlertResolved => state with { Resolved = true },
        _ => state,
    };
}

/// <summary>What may happen to an alert.</summary>
public static class AlertDecider
{
    /// <summary>A review of an alert already resolved (answered as a conflict: nothing is appended).</summary>
    public const string AlreadyResolved = "alert-resolved";

    /// <summary>Raised once: an alert that exists (open or resolved) is not raised again.</summary>
    public static Decision Raise(Alert state, AlertRaised raised) => state.Exists ? Decision.Nothing : Decision.Of(raised);

    /// <summary>
    /// 预警纠错: recorded on an open alert; it resolves an anomaly, while a deadline alert stays open
    /// until the awaited act happens.
    /// </summary>
    public static Decision Review(Alert state, string note, string by, DateTimeOffset now)
    {
        if (state.Resolved) return Decision.Refuse(AlreadyResolved, $"Alert {state.Id} is resolved already.");
        var reviewed = new AlertReviewed(state.Id, note, by, now);
        return AlertRules.IsDeadline(state.Rule)
            ? Decision.Of(reviewed)
            : Decision.Of(reviewed, new AlertResolved(state.Id, "reviewed", now));
    }

    /// <summary>The awaited act of an open deadline alert happened; nothing for an anomaly, a resolved or an unknown alert.</summary>
    public static Decision Resolve(Alert state, string cause, DateTimeOffset at) =>
        state.Exists && !state.Resolved && AlertRules.IsDeadline(state.Rule)
            ? Decision.Of(new AlertResolved(state.Id, cause, at))
            : Decision.Nothing;
}
