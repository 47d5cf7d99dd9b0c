using GovEvents.Api.Common;
using GovEvents.Api.Cases;
using GovEvents.Api.Hosting;
using GovEvents.Domain.Time;
using GovEvents.Store;
using GovEvents.Projections.Cases;
using Npgsql;
using NpgsqlTypes;

namespace GovEvents.Api.Supervision;

/// <summary>One row of API.md's timeliness metrics (办件时效), field for field.</summary>
public sealed record TimelinessRow(
    string Key, int Received, int Accepted, int NotAccepted, int Completed, decimal? CompletionRate, decimal? OnTimeRate, int Overdue,
    decimal? AvgWorkingDays, decimal? AvgStatutoryDays, decimal? SpeedUp, decimal? InstantShare, decimal? CommitmentShare);

/// <summary>
/// GET /api/metrics/timeliness?groupBy=hall|department|window|staff|matter&amp;from=&amp;to=[&amp;format=csv].
/// Over the period each case counts by the date of the act: received (submitted), accepted, not
/// accepted, completed (decided). Overdue = decided late in the period, plus open at the period's
/// end (or today, if earlier) past the promised deadline as it stood then: those cases are folded
/// from their events up to that day's end, and judged by the same rule as the traffic light (red or
/// breach). Averages, speed-up and shares are over the cases decided in the period; working days are
/// net of stopped days. By staff, a case counts for every staff member who acted on it.
/// </summary>
public static class TimelinessMetrics
{
    private static readonly string[] GroupBys = ["hall", "department", "window", "staff", "matter"];

    public static async Task<IResult> Get(string? groupBy, DateOnly? from, DateOnly? to, string? format, int? page, int? pageSize, HttpContext http,
        EventLog store, CaseCommands handler, HallTimeZone hall, CancellationToken ct)
    {
        var by = groupBy ?? "hall";
        var errors = MetricPeriod.Check(from, to)
            .Require(GroupBys.Contains(by), "groupBy", $"One of {string.Join(", ", GroupBys)}.")
            .CheckList(page, pageSize, format);
        if (errors.Any) return errors.Problem();

        var clock = await handler.ClockAsync(ct);
        var hallClock = new HallClock(hall.Zone);
        var end = to is { } t && t < clock.Today ? t : clock.Today;
        DateOnly On(DateTimeOffset instant) => hallClock.DateOf(instant);
        bool InPeriod(DateOnly day) => MetricPeriod.Within(day, from, end);

        var views = new List<CaseView>();
        await foreach (var view in CaseViews.ReadAsync(store, null, ct)) views.Add(view);

        // Open at the period's end: received by then, neither decided nor closed by then.
        var openAtEnd = views.Where(v => v.ReceivedDate <= end
            && (v.DecidedAt is not { } d || On(d) > end) && (v.ClosedAt is not { } c || On(c) > end)).ToList();
        var overdueAtEnd = (await AsOfAsync(store, openAtEnd.Select(v => v.Id).ToArray(), hallClock.EndOf(end), ct))
            .Where(v => CaseTiming.Light(v, end, clock.Calendar, hallClock) is CaseTiming.Red or CaseTiming.Breach)
            .Select(v => v.Id).ToHashSet();

        IEnumerable<string> Keys(CaseView v) => by switch
        {
            "department" => [v.DepartmentCode],
            "window" => [v.WindowCode ?? ""],
            "matter" => [v.MatterCode],
            "staff" => v.StaffIds,
            _ => ["hall"],
        };

        var rows = views.SelectMany(v => Keys(v).Select(key => (Key: key, View: v)))
            .GroupBy(x => x.Key, x => x.View)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var decided = g.Where(v => v.DecidedAt is { } d && InPeriod(On(d))).ToList();
                var onTime = decided.Count(v => v.PromisedDeadline is not { } p || On(v.DecidedAt!.Value) <= p);
                var accepted = g.Count(v => v.AcceptedAt is { } a && InPeriod(On(a)));
                decimal? avgWorking = decided.Count == 0 ? null
                    : Math.Round((decimal)decided.Average(v => CaseTiming.WorkingDaysUsed(v, end, clock.Calendar, hallClock)), 2);
                decimal? avgStatutory = decided.Count == 0 ? null : Math.Round((decimal)decided.Average(v => v.StatutoryDays), 2);
                return new TimelinessRow(
                    g.Key,
                    Received: g.Count(v => InPeriod(v.ReceivedDate)),
                    Accepted: accepted,
                    NotAccepted: g.Count(v => v.Status == "not-accepted" && v.ClosedAt is { } c && InPeriod(On(c))),
                    Completed: decided.Count,
                    CompletionRate: MetricPeriod.Rate(decided.Count, accepted),
                    OnTimeRate: MetricPeriod.Rate(onTime, decided.Count),
                    Overdue: decided.Count - onTime + g.Count(v => overdueAtEnd.Contains(v.Id)),
                    AvgWorkingDays: avgWorking,
                    AvgStatutoryDays: avgStatutory,
                    SpeedUp: avgWorking is { } w && avgStatutory is > 0 and { } s ? Math.Round(1 - w / s, 4) : null,
                    InstantShare: MetricPeriod.Rate(decided.Count(v => v.Instant), decided.Count),
                    CommitmentShare: MetricPeriod.Rate(decided.Count(v => v.Commitment), decided.Count));
            })
            .ToList();

        return Lists.Answer(http, rows, page, pageSize, format, new Dictionary<string, object?> { ["groupBy"] = by, ["from"] = from, ["to"] = end });
    }

    /// <summary>The views of <paramref name="caseIds"/> as their events stood at <paramref name="asOf"/>.</summary>
    private static async Task<IReadOnlyList<CaseView>> AsOfAsync(EventLog store, string[] caseIds, DateTimeOffset asOf, CancellationToken ct)
    {
        if (caseIds.Length == 0) return [];
        var events = await store.FetchStreamsAsync(caseIds, asOf, ct);
        return [.. events.GroupBy(e => e.StreamId)
            .Select(stream => stream.Aggregate((CaseView?)null, CaseViewBuilder.Apply))
            .OfType<CaseView>()];
    }
}
