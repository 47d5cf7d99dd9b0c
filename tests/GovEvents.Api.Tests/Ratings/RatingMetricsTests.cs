using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Ratings;

/// <summary>GET /api/metrics/ratings: distribution and satisfaction, an upheld appeal left out of them.</summary>
public sealed class RatingMetricsTests : IClassFixture<HallHost>
{
    private readonly HallHost _api;
    private readonly Hall _hall;

    public RatingMetricsTests(HallHost api)
    {
        _api = api;
        _hall = api.Hall;
        api.Clock.Set(ApiHost.Start);
    }

    private async Task<(string CaseId, string RatingId)> RateAsync(string applicantId, int level)
    {
        await _hall.MatterAsync("M-STATS");
        var applicant = _hall.Applicant(applicantId);
        var caseId = await _hall.AcceptedOnlineCaseAsync("M-STATS", applicant);
        var response = await applicant.PostAsJsonAsync($"/api/cases/{caseId}/ratings", new { stage = "acceptance", level, comment = "评价", realName = true });
        await response.ShouldBeAsync(HttpStatusCode.Created);
        return (caseId, (await response.ReadJsonAsync())["ratingId"]!.GetValue<string>());
    }

    private async Task<JsonNode> MetricsAsync(string query = "")
    {
        await _hall.CaughtUpAsync();
        var response = await _hall.Inspector.GetAsync("/api/metrics/ratings" + query);
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return await response.ReadJsonAsync();
    }

    [Fact]
    public async Task The_distribution_counts_each_level_and_leaves_out_a_review_excluded_on_appeal()
    {
        foreach (var (who, level) in new[] { ("s-5a", 5), ("s-5b", 5), ("s-4", 4), ("s-3", 3), ("s-2", 2) })
            await RateAsync(who, level);
        var (misjudged, ratingId) = await RateAsync("s-1", 1);
        var (rectifiedCase, rectifiedRating) = await RateAsync("s-1b", 1);
        await (await _hall.Manager.PostAsJsonAsync($"/api/cases/{rectifiedCase}/ratings/{rectifiedRating}/callback", new { note = "已回访" })).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.Manager.PostAsJsonAsync($"/api/cases/{rectifiedCase}/ratings/{rectifiedRating}/rectification", new { note = "已整改" })).ShouldBeAsync(HttpStatusCode.OK);

        var before = (await MetricsAsync())["items"]![0]!;
        (before["total"]!.GetValue<int>(), before["bad"]!.GetValue<int>(), before["excluded"]!.GetValue<int>()).ShouldBe((7, 3, 0));

        await (await _hall.Handler().PostAsJsonAsync($"/api/cases/{misjudged}/ratings/{ratingId}/appeal", new { reason = "申请人误评" })).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.Manager.PostAsJsonAsync($"/api/cases/{misjudged}/ratings/{ratingId}/appeal/decision", new { upheld = true, note = "核实为误评" }))
            .ShouldBeAsync(HttpStatusCode.OK);

        var hall = (await MetricsAsync())["items"]!.AsArray().Single()!;
        hall["key"]!.GetValue<string>().ShouldBe("hall");
        (hall["total"]!.GetValue<int>(), hall["good"]!.GetValue<int>(), hall["neutral"]!.GetValue<int>(), hall["bad"]!.GetValue<int>(), hall["excluded"]!.GetValue<int>())
            .ShouldBe((6, 3, 1, 2, 1));
        var levels = hall["levels"]!;
        Enumerable.Range(1, 5).Select(l => levels[l.ToString()]!.GetValue<int>()).ShouldBe([1, 1, 1, 1, 2]);
        hall["averageLevel"]!.GetValue<decimal>().ShouldBe(3.33m);           // (5+5+4+3+2+1) / 6
        hall["satisfactionRate"]!.GetValue<decimal>().ShouldBe(0.6667m);    // levels 3–5: 4 of 6
        (hall["badRectified"]!.GetValue<int>(), hall["rectificationRate"]!.GetValue<decimal>()).ShouldBe((1, 0.5m));

        var byDepartment = (await MetricsAsync("?groupBy=department&stage=acceptance"))["items"]!.AsArray();
        byDepartment.Single()!["key"]!.GetValue<string>().ShouldBe(Hall.Department);
        (await MetricsAsync("?from=2026-03-03"))["items"]!.AsArray().ShouldBeEmpty();   // all rated on 2026-03-02
    }

    [Theory]
    [InlineData("?groupBy=planet")]
    [InlineData("?stage=halfway")]
    [InlineData("?from=2026-03-05&to=2026-03-01")]
    [InlineData("?from=yesterday")]
    public async Task A_bad_query_is_a_400(string query)
    {
        var response = await _hall.Inspector.GetAsync("/api/metrics/ratings" + query);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Only_supervision_reads_the_metrics()
    {
        (await _api.CreateClient(Roles.Manager).GetAsync("/api/metrics/ratings")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _api.CreateClient(Roles.Leader).GetAsync("/api/metrics/ratings")).StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var role in new[] { Roles.Clerk, Roles.Applicant, Roles.Auditor, Roles.Cashier })
            (await _api.CreateClient(role).GetAsync("/api/metrics/ratings")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, role);
        (await _api.CreateClient().GetAsync("/api/metrics/ratings")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
