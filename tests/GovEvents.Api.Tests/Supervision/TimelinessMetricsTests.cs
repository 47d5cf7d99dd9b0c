using System.Net;
using System.Text.Json.Nodes;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Supervision;

/// <summary>GET /api/metrics/timeliness: API.md's definitions, on cases of a hall of their own.</summary>
public sealed class TimelinessMetricsTests(HallHost api) : IClassFixture<HallHost>, IDisposable
{
    private readonly Hall _hall = api.Hall;

    public void Dispose() => api.Clock.Set(ApiHost.Start);

    private async Task<HttpResponseMessage> GetAsync(string query)
    {
        await _hall.CaughtUpAsync();
        return await _hall.Inspector.GetAsync("/api/metrics/timeliness" + query);
    }

    private async Task<JsonArray> RowsAsync(string query)
    {
        var response = await GetAsync(query);
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return (await response.ReadJsonAsync())["items"]!.AsArray();
    }

    [Fact]
    public async Task Received_accepted_completed_on_time_and_overdue_follow_the_dates_of_the_acts()
    {
        // Monday 2 March: five cases received.
        var onTime = await _hall.AcceptedCaseAsync("T1");          // promised 2026-03-16
        var late = await _hall.AcceptedCaseAsync("T1");
        var open = await _hall.AcceptedCaseAsync("T1");
        var instant = await _hall.SubmitAsync("INSTANT", by: _hall.Applicant("applicant-instant"), channel: "online");
        var refused = await _hall.SubmitAsync("T1");
        await (await _hall.CommandAsync(_hall.Clerk, refused.Id, "non-acceptance",
            new { reason = "不属于本机关职权范围", legalBasis = "《行政许可法》第三十二条" })).ShouldBeAsync(HttpStatusCode.OK);

        await _hall.SetClockAsync(Hall.At(3, 4, 10));              // decided on the 3rd working day
        await (await _hall.SignAsync(onTime.Id, "market-a1", "approver")).ShouldBeAsync(HttpStatusCode.OK);
        await _hall.SetClockAsync(Hall.At(3, 17, 10));             // the day after the promised deadline
        await (await _hall.SignAsync(late.Id, "market-a1", "approver")).ShouldBeAsync(HttpStatusCode.OK);

        // An extension granted after the period must not rescue the open case from "overdue then".
        await _hall.SetClockAsync(Hall.At(3, 25, 10));
        await (await _hall.CommandAsync(_hall.Leader("market-lead", "MARKET"), open.Id, "extension",
            new { days = 10, reason = "情况复杂", approvedBy = "market-lead" })).ShouldBeAsync(HttpStatusCode.OK);

        var hall = (await RowsAsync("?from=2026-03-01&to=2026-03-20")).Single()!;
        hall.Str("key").ShouldBe("hall");
        (hall["received"]!.GetValue<int>(), hall["accepted"]!.GetValue<int>(), hall["notAccepted"]!.GetValue<int>(), hall["completed"]!.GetValue<int>())
            .ShouldBe((5, 4, 1, 3));
        hall["completionRate"]!.GetValue<decimal>().ShouldBe(0.75m);    // 3 decided / 4 accepted
        hall["onTimeRate"]!.GetValue<decimal>().ShouldBe(0.6667m);      // instant and onTime; late is not
        hall["overdue"]!.GetValue<int>().ShouldBe(2);                   // late, and open as it stood on the 20th
        hall["instantShare"]!.GetValue<decimal>().ShouldBe(0.3333m);
        hall["commitmentShare"]!.GetValue<decimal>().ShouldBe(0m);
        hall["avgStatutoryDays"]!.GetValue<decimal>().ShouldBeGreaterThan(0m);
        var speedUp = hall["speedUp"]!.GetValue<decimal>();
        speedUp.ShouldBe(Math.Round(1 - hall["avgWorkingDays"]!.GetValue<decimal>() / hall["avgStatutoryDays"]!.GetValue<decimal>(), 4));

        // Only what happened in the first week: nothing was late yet, and nothing was open past its deadline.
        var firstWeek = (await RowsAsync("?from=2026-03-02&to=2026-03-06")).Single()!;
        (firstWeek["completed"]!.GetValue<int>(), firstWeek["overdue"]!.GetValue<int>(), firstWeek["onTimeRate"]!.GetValue<decimal>()).ShouldBe((2, 0, 1m));

        var byStaff = await RowsAsync("?from=2026-03-01&to=2026-03-20&groupBy=staff");
        byStaff.Single(r => r!.Str("key") == "market-a1")!["completed"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task The_csv_has_the_json_field_names_as_its_columns()
    {
        await _hall.AcceptedCaseAsync("T1");

        var response = await GetAsync("?groupBy=department&format=csv");

        await response.ShouldBeAsync(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("key,received,accepted,notAccepted,completed,completionRate,onTimeRate,overdue,avgWorkingDays,avgStatutoryDays,speedUp,instantShare,commitmentShare");
        lines.ShouldContain(l => l.StartsWith("MARKET,", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("?groupBy=planet")]
    [InlineData("?format=xml")]
    [InlineData("?from=2026-03-05&to=2026-03-01")]
    public async Task A_bad_query_is_a_400(string query) => (await GetAsync(query)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

    [Fact]
    public async Task Only_supervision_reads_it() =>
        (await _hall.As("x-handler", [Roles.Handler], "MARKET").GetAsync("/api/metrics/timeliness")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
}
