using GovEvents.Api.Common;
using GovEvents.Api.Hosting;
using GovEvents.Store;
using Marten;
using GovEvents.Projections.Complaints;

namespace GovEvents.Api.Supervision;

/// <summary>
/// Complaints filed in the period (投诉统计) and what became of them. <see cref="RepliedOnTime"/>: a
/// reply given before its step was recorded overdue (件件有回音, in time); <see cref="Substantiated"/>
/// counts wholly and partly substantiated findings.
/// </summary>
public sealed record ComplaintMetricsRow(
    string Key, int Filed, int Accepted, int Declined, int Substantiated, int Replied, int RepliedOnTime, decimal? OnTimeReplyRate,
    int Closed, decimal? AvgSatisfaction, int Open, int OverdueSteps);

/// <summary>GET /api/metrics/complaints?groupBy=department|category|channel&amp;from=&amp;to=, from the complaint views.</summary>
public static class ComplaintMetrics
{
    private static readonly string[] GroupBys = ["department", "category", "channel"];

    public static async Task<IResult> Get(string? groupBy, DateOnly? from, DateOnly? to, int? page, int? pageSize, string? format, HttpContext http,
        EventLog store, HallTimeZone hall, CancellationToken ct)
    {
        var by = groupBy ?? "department";
        var errors = MetricPeriod.Check(from, to).CheckList(page, pageSize, format).Require(GroupBys.Contains(by), "groupBy", $"One of {string.Join(", ", GroupBys)}.");
        if (errors.Any) return errors.Problem();

        var complaints = new List<ComplaintView>();
        await using (var session = store.Store.QuerySession())
            foreach (var view in await session.Query<ComplaintView>().ToListAsync(ct))
                if (MetricPeriod.Within(DateOnly.FromDateTime(hall.ToHallTime(view.FiledAt).DateTime), from, to))
                    complaints.Add(view);

        var rows = complaints
            .GroupBy(c => by switch { "category" => c.Category, "channel" => c.Channel, _ => c.DepartmentCode ?? "" })
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var replied = g.Where(c => c.Reply is not null).ToList();
                var onTime = replied.Count(c => !c.OverdueSteps.Any(o => o.Step == "reply"));
                var satisfaction = g.Where(c => c.Satisfaction is not null).Select(c => c.Satisfaction!.Value).ToList();
                return new ComplaintMetricsRow(
                    g.Key, g.Count(), g.Count(c => c.Acceptance is not null), g.Count(c => c.Declination is not null),
                    g.Count(c => c.Findings?.Result is "substantiated" or "partly"),
                    replied.Count, onTime, MetricPeriod.Rate(onTime, replied.Count),
                    g.Count(c => c.ClosedAt is not null),
                    satisfaction.Count == 0 ? null : Math.Round((decimal)satisfaction.Average(), 2),
                    g.Count(c => c.Open), g.Sum(c => c.OverdueSteps.Count));
            })
            .ToList();
        return Lists.Answer(http, rows, page, pageSize, format, new Dictionary<string, object?> { ["groupBy"] = by, ["from"] = from, ["to"] = to });
    }
}
