using System.Net;
using System.Text.Json.Nodes;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Supervision;

/// <summary>GET /api/metrics/signing and /api/metrics/parallel-review (their own hall and database).</summary>
public sealed class ReviewMetricsTests(HallHost api) : IClassFixture<HallHost>, IDisposable
{
    private readonly Hall _hall = api.Hall;

    public void Dispose() => api.Clock.Set(ApiHost.Start);

    private async Task<JsonArray> RowsAsync(string url)
    {
        await _hall.CaughtUpAsync();
        var response = await _hall.Inspector.GetAsync(url);
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return (await response.ReadJsonAsync())["items"]!.AsArray();
    }

    private static JsonNode Row(JsonArray rows, string key, string keyName = "key") => rows.Single(r => r!.Str(keyName) == key)!;

    [Fact]
    public async Task Signing_counts_on_site_and_remote_signatures_by_signer_and_by_department()
    {
        var c = await _hall.AcceptedCaseAsync("T3");
        await (await _hall.SignAsync(c.Id, "market-h1", "handler", onSite: true)).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.SignAsync(c.Id, "market-r1", "reviewer", onSite: false)).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.SignAsync(c.Id, "market-a1", "approver", onSite: false)).ShouldBeAsync(HttpStatusCode.OK);

        var byStaff = await RowsAsync("/api/metrics/signing?groupBy=staff");
        var handler = Row(byStaff, "market-h1");
        (handler["signatures"]!.GetValue<int>(), handler["onSite"]!.GetValue<int>(), handler["onSiteRate"]!.GetValue<decimal>()).ShouldBe((1, 1, 1m));
        var approver = Row(byStaff, "market-a1");
        (approver["remote"]!.GetValue<int>(), approver["approverRemote"]!.GetValue<int>()).ShouldBe((1, 1));
        Row(byStaff, "market-r1")["approverRemote"]!.GetValue<int>().ShouldBe(0);

        var market = Row(await RowsAsync("/api/metrics/signing"), "MARKET");
        (market["signatures"]!.GetValue<int>(), market["onSite"]!.GetValue<int>(), market["remote"]!.GetValue<int>(), market["onSiteRate"]!.GetValue<decimal>())
            .ShouldBe((3, 1, 2, 0.3333m));
        (await RowsAsync("/api/metrics/signing?to=2026-03-01")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Parallel_review_counts_each_participant_departments_opinions_and_deemed_consents()
    {
        var c = await _hall.AcceptedCaseAsync("PARALLEL");
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "parallel-review")).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.CommandAsync(_hall.Handler("fire-h1", "FIRE"), c.Id, "parallel-review/opinions",
            new { departmentCode = "FIRE", opinion = "agree", comment = "符合消防要求" })).ShouldBeAsync(HttpStatusCode.OK);
        await _hall.SetClockAsync(Hall.At(3, 10, 9));   // the day after ENV's due date (2026-03-09): 超时默认
        await _hall.SweepAsync();

        var rows = await RowsAsync("/api/metrics/parallel-review");
        var env = Row(rows, "ENV", "departmentCode");
        (env["participations"]!.GetValue<int>(), env["opinionsGiven"]!.GetValue<int>(), env["deemedConsents"]!.GetValue<int>(), env["deemedRate"]!.GetValue<decimal>())
            .ShouldBe((1, 0, 1, 1m));
        var fire = Row(rows, "FIRE", "departmentCode");
        (fire["opinionsGiven"]!.GetValue<int>(), fire["deemedConsents"]!.GetValue<int>()).ShouldBe((1, 0));
        (await RowsAsync("/api/metrics/parallel-review?from=2026-03-10")).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("/api/metrics/signing?groupBy=window")]
    [InlineData("/api/metrics/signing?from=2026-03-05&to=2026-03-01")]
    [InlineData("/api/metrics/parallel-review?to=soon")]
    public async Task A_bad_query_is_a_400(string url) =>
        (await _hall.Inspector.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

    [Theory]
    [InlineData("/api/metrics/signing")]
    [InlineData("/api/metrics/parallel-review")]
    public async Task Only_supervision_reads_them(string url)
    {
        (await _hall.As("leader-x", [Roles.Leader], "MARKET").GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _hall.Clerk.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await _hall.Auditor.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
