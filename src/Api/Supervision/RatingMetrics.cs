using GovEvents.Api.Common;
using GovEvents.Api.Hosting;
using GovEvents.Store;
using GovEvents.Projections.Cases;

namespace GovEvents.Api.Supervision;

/// <summary>
/// One row of the rating metrics (好差评统计). Counted ratings leave out those excluded by an
/// upheld appeal, which are reported apart. <see cref="SatisfactionRate"/>: levels 3–5 (基本满意 and
/// better) over the counted; <see cref="RectificationRate"/>: bad reviews whose rectification is
/// done over the counted bad reviews; both null when nothing is counted.
/// </summary>
public sealed record RatingMetricsRow(
    string Key, int Total, IReadOnlyDictionary<string, int> Levels, int Good, int Neutral, int Bad, int Excluded,
    decimal? AverageLevel, decimal? SatisfactionRate, int BadRectified, int BadOverdue, decimal? RectificationRate);

/// <summary>
/// GET /api/metrics/ratings: the rating distribution and satisfaction by hall, department, window
/// or matter over a period (the rating's date in the hall's zone), from the case views.
/// </summary>
public static class RatingMetrics
{
    private static readonly string[] GroupBys = ["hall", "department", "window", "matter"];
    private static readonly string[] Stages = ["acceptance", "completion"];

    public static async Task<IResult> Get(string? groupBy, DateOnly? from, DateOnly? to, string? stage, int? page, int? pageSize, string? format, HttpContext http,
        EventLog store, HallTimeZone hall, CancellationToken ct)
    {
        var by = groupBy ?? "hall";
        var errors = MetricPeriod.Check(from, to).CheckList(page, pageSize, format)
            .Require(GroupBys.Contains(by), "groupBy", $"One of {string.Join(", ", GroupBys)}.")
            .Require(stage is null || Stages.Contains(stage), "stage", $"One of {string.Join(", ", Stages)}.");
        if (errors.Any) return errors.Problem();

        var ratings = new List<(string Key, RatingView Rating)>();
        await foreach (var view in CaseViews.ReadAsync(store, null, ct))
        {
            var key = by switch { "department" => view.DepartmentCode, "window" => view.WindowCode ?? "", "matter" => view.MatterCode, _ => "hall" };
            foreach (var rating in view.Ratings)
            {
                var day = DateOnly.FromDateTime(hall.ToHallTime(rating.RatedAt).DateTime);
                if (MetricPeriod.Within(day, from, to) && (stage is null || rating.Stage == stage))
                    ratings.Add((key, rating));
            }
        }

        var rows = ratings.GroupBy(x => x.Key, x => x.Rating).OrderBy(g => g.Key, StringComparer.Ordinal).Select(Row).ToList();
        return Lists.Answer(http, rows, page, pageSize, format, new Dictionary<string, object?> { ["groupBy"] = by, ["from"] = from, ["to"] = to, ["stage"] = stage });
    }

    private static RatingMetricsRow Row(IGrouping<string, RatingView> group)
    {
        var counted = group.Where(r => !r.Excluded).ToList();
        var bad = counted.Where(r => r.Bad).ToList();
        var total = counted.Count;
        return new RatingMetricsRow(
            group.Key, total,
            Enumerable.Range(1, 5).ToDictionary(level => level.ToString(), level => counted.Count(r => r.Level == level)),
            counted.Count(r => r.Level >= 4), counted.Count(r => r.Level == 3), bad.Count, group.Count(r => r.Excluded),
            total == 0 ? null : Math.Round((decimal)counted.Sum(r => r.Level) / total, 2),
            MetricPeriod.Rate(total - bad.Count, total),
            bad.Count(r => r.Rectification?.DoneAt is not null),
            bad.Count(r => r.Callback?.Overdue == true || r.Rectification?.Overdue == true),
            MetricPeriod.Rate(bad.Count(r => r.Rectification?.DoneAt is not null), bad.Count));
    }
}
