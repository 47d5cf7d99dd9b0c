using System.Net;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Cases;

/// <summary>
/// GET /api/cases, the work queue (an async projection): every filter of the contract and paging.
/// Each test receives its cases on days of its own and filters by them, so the tests stay apart.
/// </summary>
public sealed class WorkQueueTests(HallHost api) : IClassFixture<HallHost>, IDisposable
{
    private readonly Hall _hall = api.Hall;

    public void Dispose() => api.Clock.Set(ApiHost.Start);

    private async Task<string[]> QueueAsync(string query, HttpClient? by = null)
    {
        await _hall.CaughtUpAsync();
        var response = await (by ?? _hall.Clerk).GetAsync($"/api/cases?pageSize=500&{query}");
        await response.ShouldBeAsync(HttpStatusCode.OK);
        var body = await response.ReadJsonAsync();
        var ids = body["items"]!.AsArray().Select(i => i.Str("id")).ToArray();
        body["total"]!.GetValue<int>().ShouldBe(ids.Length);
        return ids;
    }

    [Fact]
    public async Task The_work_queue_filters_by_status_department_window_staff_and_matter()
    {
        await _hall.SetClockAsync(Hall.At(3, 3, 9));
        var approved = await _hall.AcceptedCaseAsync("T1");
        await (await _hall.SignAsync(approved.Id, "market-a1", "approver")).ShouldBeAsync(HttpStatusCode.OK);
        var atMarketWindow = await _hall.SubmitAsync("T3", by: _hall.As("clerk-2", [Roles.Clerk], "HALL", "MKT-01"));
        var fire = await _hall.SubmitAsync("FIRE-1", by: _hall.Applicant("applicant-fire"), channel: "online");
        var accepted = await _hall.AcceptedCaseAsync("T1");
        const string day = "from=2026-03-03&to=2026-03-03";

        (await QueueAsync(day)).ShouldBe([approved.Id, atMarketWindow.Id, fire.Id, accepted.Id], ignoreOrder: true);
        (await QueueAsync($"{day}&status=submitted")).ShouldBe([atMarketWindow.Id, fire.Id], ignoreOrder: true);
        (await QueueAsync($"{day}&status=approved")).ShouldBe([approved.Id]);
        (await QueueAsync($"{day}&departmentCode=FIRE")).ShouldBe([fire.Id]);
        (await QueueAsync($"{day}&departmentCode=MARKET")).ShouldBe([approved.Id, atMarketWindow.Id, accepted.Id], ignoreOrder: true);
        (await QueueAsync($"{day}&windowCode=ZH-01")).ShouldBe([approved.Id, accepted.Id], ignoreOrder: true);
        (await QueueAsync($"{day}&windowCode=MKT-01")).ShouldBe([atMarketWindow.Id]);
        (await QueueAsync($"{day}&staffId=market-a1")).ShouldBe([approved.Id]);
        (await QueueAsync($"{day}&staffId=clerk-2")).ShouldBe([atMarketWindow.Id]);
        (await QueueAsync($"{day}&matterCode=T1")).ShouldBe([approved.Id, accepted.Id], ignoreOrder: true);
        (await QueueAsync($"{day}&matterCode=T1&status=accepted")).ShouldBe([accepted.Id]);
        (await QueueAsync($"{day}&status=approved&departmentCode=FIRE")).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_work_queue_filters_by_the_day_of_receipt_inclusively()
    {
        var received = new List<string>();
        foreach (var day in new[] { 4, 5, 6 })
        {
            await _hall.SetClockAsync(Hall.At(3, day, 11));
            received.Add((await _hall.SubmitAsync("T2")).Id);
        }

        (await QueueAsync("from=2026-03-05&to=2026-03-05")).ShouldBe([received[1]]);
        (await QueueAsync("from=2026-03-05&to=2026-03-06")).ShouldBe([received[1], received[2]]);
        (await QueueAsync("from=2026-03-04&to=2026-03-06")).ShouldBe([.. received]);
    }

    [Fact]
    public async Task The_work_queue_pages_its_items()
    {
        await _hall.SetClockAsync(Hall.At(3, 9, 10));
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add((await _hall.SubmitAsync("T1")).Id);
        await _hall.CaughtUpAsync();
        const string day = "from=2026-03-09&to=2026-03-09";

        var first = await (await _hall.Clerk.GetAsync($"/api/cases?{day}&pageSize=2")).ReadJsonAsync();
        var last = await (await _hall.Clerk.GetAsync($"/api/cases?{day}&pageSize=2&page=3")).ReadJsonAsync();
        var beyond = await (await _hall.Clerk.GetAsync($"/api/cases?{day}&pageSize=2&page=4")).ReadJsonAsync();

        first["total"]!.GetValue<int>().ShouldBe(5);
        first["page"]!.GetValue<int>().ShouldBe(1);
        first["pageSize"]!.GetValue<int>().ShouldBe(2);
        first["items"]!.AsArray().Count.ShouldBe(2);
        last["items"]!.AsArray().Count.ShouldBe(1);
        beyond["items"]!.AsArray().ShouldBeEmpty();
        beyond["total"]!.GetValue<int>().ShouldBe(5);
        var paged = new List<string>();
        for (var page = 1; page <= 3; page++)
            paged.AddRange((await (await _hall.Clerk.GetAsync($"/api/cases?{day}&pageSize=2&page={page}")).ReadJsonAsync())["items"]!.AsArray().Select(x => x.Str("id")));
        paged.ShouldBe(ids, ignoreOrder: true);
        (await (await _hall.Clerk.GetAsync($"/api/cases?{day}")).ReadJsonAsync())["pageSize"]!.GetValue<int>().ShouldBe(50);
    }

    [Fact]
    public async Task The_work_queue_filters_by_traffic_light_as_of_now()
    {
        await _hall.SetClockAsync(Hall.At(3, 10, 9));
        var running = await _hall.AcceptedCaseAsync("T1"); // promised 24 March, statutory 8 April
        var waiting = await _hall.SubmitAsync("T1");
        const string day = "from=2026-03-10&to=2026-03-10";

        await _hall.SetClockAsync(Hall.At(3, 20, 9)); // two working days left
        (await QueueAsync($"{day}&light=yellow")).ShouldBe([running.Id]);
        (await QueueAsync($"{day}&light=green")).ShouldBe([waiting.Id]);
        (await _hall.ViewAsync(running.Id)).Str("light").ShouldBe("yellow");

        await _hall.SetClockAsync(Hall.At(3, 25, 9));
        (await QueueAsync($"{day}&light=red")).ShouldBe([running.Id]);

        await _hall.SetClockAsync(Hall.At(4, 9, 9));
        (await QueueAsync($"{day}&light=breach")).ShouldBe([running.Id]);
        (await QueueAsync($"{day}&light=red")).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_queue_item_is_the_case_view()
    {
        await _hall.SetClockAsync(Hall.At(3, 11, 9));
        var c = await _hall.AcceptedCaseAsync("T3");
        await _hall.CaughtUpAsync();

        var item = (await (await _hall.Clerk.GetAsync("/api/cases?from=2026-03-11&to=2026-03-11")).ReadJsonAsync())["items"]![0]!;
        var view = await _hall.ViewAsync(c.Id);

        item.ToJsonString().ShouldBe(view.ToJsonString());
    }

    [Theory]
    [InlineData("light=purple", "light")]
    [InlineData("status=sleeping", "status")]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=501", "pageSize")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-02-30", "to")]
    public async Task A_malformed_filter_is_a_400(string query, string field) =>
        await (await _hall.Clerk.GetAsync($"/api/cases?{query}")).ShouldBeInvalidAsync(field);

    [Fact]
    public async Task Inspectors_and_auditors_read_the_queue_and_anonymous_callers_do_not()
    {
        (await _hall.Inspector.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _hall.Auditor.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _hall.Anonymous.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
