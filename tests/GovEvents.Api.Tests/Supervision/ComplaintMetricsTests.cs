using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Supervision;

/// <summary>GET /api/metrics/complaints (complaints of a host and database of their own).</summary>
public sealed class ComplaintMetricsTests : IClassFixture<HallHost>, IDisposable
{
    private readonly HallHost _api;
    private readonly Hall _hall;

    public ComplaintMetricsTests(HallHost api)
    {
        _api = api;
        _hall = api.Hall;
        api.Clock.Set(ApiHost.Start);
    }

    public void Dispose() => _api.Clock.Set(ApiHost.Start);

    private async Task<string> FileAsync()
    {
        var response = await _hall.Applicant("complainant-1").PostAsJsonAsync("/api/complaints", new
        {
            channel = "hotline", target = new { kind = "window", id = Hall.Window }, category = "conduct", content = "窗口人员态度生硬",
            complainant = new { name = "李四", phone = "13900000000", realName = true },
        });
        await response.ShouldBeAsync(HttpStatusCode.Created);
        return (await response.ReadJsonAsync())["id"]!.GetValue<string>();
    }

    private async Task StepAsync(string id, string step, object? body = null) =>
        await (await _hall.Manager.PostAsJsonAsync($"/api/complaints/{id}/{step}", body ?? new { })).ShouldBeAsync(HttpStatusCode.OK);

    private async Task<JsonArray> RowsAsync(string query)
    {
        await _hall.CaughtUpAsync();
        var response = await _hall.Inspector.GetAsync("/api/metrics/complaints" + query);
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return (await response.ReadJsonAsync())["items"]!.AsArray();
    }

    [Fact]
    public async Task Replies_in_time_and_late_findings_and_satisfaction_are_counted_per_group()
    {
        var answered = await FileAsync();
        await StepAsync(answered, "acceptance");
        await StepAsync(answered, "assignment", new { departmentCode = Hall.Department, dueDays = 10 });
        await StepAsync(answered, "findings", new { result = "partly", findings = "部分属实" });
        await StepAsync(answered, "rectification", new { actions = "批评教育，规范用语" });
        await StepAsync(answered, "reply", new { content = "已整改，致歉" });
        await StepAsync(answered, "closure", new { satisfaction = 4 });

        var late = await FileAsync();
        await StepAsync(late, "acceptance");
        await StepAsync(late, "assignment", new { departmentCode = Hall.Department, dueDays = 10 });
        await StepAsync(late, "findings", new { result = "unsubstantiated", findings = "经查不属实" });
        var declined = await FileAsync();
        await StepAsync(declined, "declination", new { reason = "重复投诉" });

        _api.Clock.Set(new DateTimeOffset(2026, 4, 30, 9, 0, 0, TimeSpan.FromHours(8)));
        await _hall.SweepAsync();                       // the reply of `late` is recorded overdue
        await StepAsync(late, "reply", new { content = "经核查，投诉不属实" });
        await FileAsync();                              // filed on 30 April, still open

        var all = (await RowsAsync("?groupBy=category")).Single()!;
        all.Str("key").ShouldBe("conduct");
        (all["filed"]!.GetValue<int>(), all["accepted"]!.GetValue<int>(), all["declined"]!.GetValue<int>(), all["substantiated"]!.GetValue<int>())
            .ShouldBe((4, 2, 1, 1));
        (all["replied"]!.GetValue<int>(), all["repliedOnTime"]!.GetValue<int>(), all["onTimeReplyRate"]!.GetValue<decimal>()).ShouldBe((2, 1, 0.5m));
        (all["closed"]!.GetValue<int>(), all["avgSatisfaction"]!.GetValue<decimal>(), all["open"]!.GetValue<int>(), all["overdueSteps"]!.GetValue<int>())
            .ShouldBe((1, 4m, 2, 1));

        var byDepartment = await RowsAsync("?groupBy=department");
        byDepartment.Select(r => (r!.Str("key"), r!["filed"]!.GetValue<int>())).ShouldBe([("HALL", 2), (Hall.Department, 2)]);
        (await RowsAsync("?from=2026-04-01")).Single()!["filed"]!.GetValue<int>().ShouldBe(1);
    }

    [Theory]
    [InlineData("?groupBy=window")]
    [InlineData("?from=2026-04-01&to=2026-03-01")]
    public async Task A_bad_query_is_a_400(string query) =>
        (await _hall.Inspector.GetAsync("/api/metrics/complaints" + query)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

    [Fact]
    public async Task Only_supervision_reads_it() =>
        (await _hall.Clerk.GetAsync("/api/metrics/complaints")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
}
