using GovEvents.Api.Common;
using GovEvents.Api.Hosting;
using GovEvents.Store;

namespace GovEvents.Api.Supervision;

/// <summary>On-site signing (现场签批) by department or signer; remote approver-tier signatures counted apart.</summary>
public sealed record SigningMetricsRow(string Key, int Signatures, int OnSite, int Remote, decimal? OnSiteRate, int ApproverRemote);

/// <summary>A participant department's parallel reviews: opinions given and consents deemed (超时默认, 缺席默认).</summary>
public sealed record ParallelReviewMetricsRow(string DepartmentCode, int Participations, int OpinionsGiven, int DeemedConsents, decimal? DeemedRate);

/// <summary>
/// GET /api/metrics/signing?groupBy=department|staff&amp;from=&amp;to= (signatures by their date in the
/// hall's zone) and GET /api/metrics/parallel-review?from=&amp;to= (participations by their opinion due
/// date), from the case views.
/// </summary>
public static class ReviewMetrics
{
    private static readonly string[] SigningGroups = ["department", "staff"];

    public static async Task<IResult> Signing(string? groupBy, DateOnly? from, DateOnly? to, int? page, int? pageSize, string? format, HttpContext http, EventLog store, HallTimeZone hall, CancellationToken ct)
    {
        var by = groupBy ?? "department";
        var errors = MetricPeriod.Check(from, to).CheckList(page, pageSize, format).Require(SigningGroups.Contains(by), "groupBy", "department or staff.");
        if (errors.Any) return errors.Problem();

        var signatures = new List<(string Key, bool OnSite, bool Approver)>();
        await foreach (var view in CaseViews.ReadAsync(store, null, ct))
            foreach (var s in view.Signatures)
                if (MetricPeriod.Within(DateOnly.FromDateTime(hall.ToHallTime(s.SignedAt).DateTime), from, to))
                    signatures.Add((by == "staff" ? s.SignerId : view.DepartmentCode, s.OnSite, s.Tier == "approver"));

        var rows = signatures.GroupBy(s => s.Key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var onSite = g.Count(s => s.OnSite);
            return new SigningMetricsRow(g.Key, g.Count(), onSite, g.Count() - onSite, MetricPeriod.Rate(onSite, g.Count()), g.Count(s => !s.OnSite && s.Approver));
        }).ToList();
        return Lists.Answer(http, rows, page, pageSize, format, new Dictionary<string, object?> { ["groupBy"] = by, ["from"] = from, ["to"] = to });
    }

    public static async Task<IResult> ParallelReview(DateOnly? from, DateOnly? to, int? page, int? pageSize, string? format, HttpContext http, EventLog store, CancellationToken ct)
    {
        var errors = MetricPeriod.Check(from, to).CheckList(page, pageSize, format);
        if (errors.Any) return errors.Problem();

        var participations = new List<(string Department, bool Answered, bool Deemed)>();
        await foreach (var view in CaseViews.ReadAsync(store, null, ct))
            foreach (var p in view.ParallelReview?.Participants ?? [])
                if (MetricPeriod.Within(p.DueDate, from, to))
                    participations.Add((p.DepartmentCode, p.Opinion is not null && !p.Deemed, p.Deemed));

        var rows = participations.GroupBy(p => p.Department).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
            new ParallelReviewMetricsRow(g.Key, g.Count(), g.Count(p => p.Answered), g.Count(p => p.Deemed), MetricPeriod.Rate(g.Count(p => p.Deemed), g.Count())))
            .ToList();
        return Lists.Answer(http, rows, page, pageSize, format, new Dictionary<string, object?> { ["from"] = from, ["to"] = to });
    }
}
