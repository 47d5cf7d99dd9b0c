using System.Net;
using System.Text.Json.Nodes;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Supervision;

/// <summary>GET /api/supervision/lights: every open case's light as of the hall's today (its own hall and database).</summary>
public sealed class TrafficLightTests(HallHost api) : IClassFixture<HallHost>, IDisposable
{
    private readonly Hall _hall = api.Hall;

    public void Dispose() => api.Clock.Set(ApiHost.Start);

    private async Task<JsonNode> LightsAsync(string query = "")
    {
        await _hall.CaughtUpAsync();
        var response = await _hall.Inspector.GetAsync("/api/supervision/lights" + query);
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return await response.ReadJsonAsync();
    }

    private static (int Green, int Yellow, int Red, int Breach) Counts(JsonNode lights) =>
        (lights["counts"]!["green"]!.GetValue<int>(), lights["counts"]!["yellow"]!.GetValue<int>(),
         lights["counts"]!["red"]!.GetValue<int>(), lights["counts"]!["breach"]!.GetValue<int>());

    [Fact]
    public async Task Open_cases_turn_yellow_red_and_breach_with_the_hall_clock_and_closed_ones_are_not_counted()
    {
        var market = await _hall.AcceptedCaseAsync("T1");          // promised 2026-03-16, statutory 2026-03-30
        var fire = await _hall.AcceptedCaseAsync("FIRE-1");
        var withdrawn = await _hall.SubmitAsync("T1");
        await (await _hall.CommandAsync(_hall.Clerk, withdrawn.Id, "withdrawal", new { reason = "申请人撤回" })).ShouldBeAsync(HttpStatusCode.OK);

        Counts(await LightsAsync()).ShouldBe((2, 0, 0, 0));
        (await LightsAsync())["cases"]!.AsArray().ShouldBeEmpty();

        var view = await _hall.ViewAsync(market.Id);
        var promised = DateOnly.Parse(view.Str("promisedDeadline"));
        var statutory = DateOnly.Parse(view.Str("statutoryDeadline"));
        DateTimeOffset On(DateOnly day) => new(day.ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(8));

        await _hall.SetClockAsync(On(promised));
        Counts(await LightsAsync()).ShouldBe((0, 2, 0, 0));

        await _hall.SetClockAsync(On(promised.AddDays(1)));
        var red = await LightsAsync("?departmentCode=MARKET");
        Counts(red).ShouldBe((0, 0, 1, 0));
        var lit = red["cases"]!.AsArray().Single()!;
        (lit.Str("caseId"), lit.Str("caseNumber"), lit.Str("light"), lit.Str("departmentCode")).ShouldBe((market.Id, market.CaseNumber, "red", "MARKET"));
        lit.Str("promisedDeadline").ShouldBe(promised.ToString("yyyy-MM-dd"));

        await _hall.SetClockAsync(On(statutory.AddDays(1)));
        var all = await LightsAsync();
        Counts(all).ShouldBe((0, 0, 0, 2));
        all["cases"]!.AsArray().Select(c => c!.Str("caseId")).ShouldBe([market.Id, fire.Id], ignoreOrder: true);
    }

    [Fact]
    public async Task Only_supervision_reads_the_lights()
    {
        (await _hall.Manager.GetAsync("/api/supervision/lights")).StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var role in new[] { Roles.Clerk, Roles.Handler, Roles.Auditor, Roles.Applicant })
            (await _hall.As($"x-{role}", [role], "MARKET").GetAsync("/api/supervision/lights")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, role);
        (await _hall.Anonymous.GetAsync("/api/supervision/lights")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
