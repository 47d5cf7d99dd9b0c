using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Ratings;

// Some tests move the dev clock: each starts from ApiHost.Start (xunit runs a class's tests one after another).
public sealed class RatingTests : IClassFixture<HallHost>
{
    private readonly HallHost _api;
    private readonly Hall _hall;

    public RatingTests(HallHost api)
    {
        _api = api;
        _hall = api.Hall;
        api.Clock.Set(ApiHost.Start);
    }

    private async Task<string> AcceptedCaseAsync(HttpClient applicant)
    {
        await _hall.MatterAsync("M-RATE");
        return await _hall.AcceptedOnlineCaseAsync("M-RATE", applicant);
    }

    private static object Rating(string stage, int level, string comment = "窗口人员推诿", bool realName = true) => new { stage, level, comment, realName };

    private static async Task<string> RatingIdAsync(HttpResponseMessage response)
    {
        await response.ShouldBeAsync(HttpStatusCode.Created);
        return (await response.ReadJsonAsync())["ratingId"]!.GetValue<string>();
    }

    private async Task<JsonNode> RatingAsync(string caseId, string ratingId) =>
        (await _hall.ViewAsync(caseId, _hall.Manager))["ratings"]!.AsArray().Single(r => r!["ratingId"]!.GetValue<string>() == ratingId)!;

    [Fact]
    public async Task The_applicant_rates_a_stage_once_and_the_case_view_shows_the_rating()
    {
        var applicant = _hall.Applicant("rater-1");
        var id = await AcceptedCaseAsync(applicant);
        var response = await applicant.PostAsJsonAsync($"/api/cases/{id}/ratings", Rating("acceptance", 5, "办理快"));
        var ratingId = await RatingIdAsync(response);
        response.Headers.Location!.ToString().ShouldBe($"/api/cases/{id}/ratings/{ratingId}");

        var rating = await RatingAsync(id, ratingId);
        (rating["stage"]!.GetValue<string>(), rating["level"]!.GetValue<int>(), rating["bad"]!.GetValue<bool>()).ShouldBe(("acceptance", 5, false));
        (await applicant.GetAsync($"/api/cases/{id}/ratings/{ratingId}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var before = await _hall.StreamVersionAsync(id);
        await (await applicant.PostAsJsonAsync($"/api/cases/{id}/ratings", Rating("acceptance", 1))).ShouldBeRefusedAsync("rating-exists");
        (await _hall.StreamVersionAsync(id)).ShouldBe(before);
    }

    [Fact]
    public async Task A_stage_not_yet_reached_cannot_be_rated()
    {
        var applicant = _hall.Applicant("rater-2");
        await _hall.MatterAsync("M-RATE");
        var submitted = await _hall.SubmitOnlineAsync("M-RATE", applicant);
        await (await applicant.PostAsJsonAsync($"/api/cases/{submitted}/ratings", Rating("acceptance", 4))).ShouldBeRefusedAsync("invalid-state");
        await _hall.AcceptAsync(submitted);
        await (await applicant.PostAsJsonAsync($"/api/cases/{submitted}/ratings", Rating("completion", 4))).ShouldBeRefusedAsync("invalid-state");
        await (await _hall.LeaderSignsAsync(submitted)).ShouldBeAsync(HttpStatusCode.OK);
        await RatingIdAsync(await applicant.PostAsJsonAsync($"/api/cases/{submitted}/ratings", Rating("completion", 4)));
    }

    [Fact]
    public async Task A_clerk_rates_for_the_applicant_and_another_applicant_cannot_see_the_case()
    {
        var id = await AcceptedCaseAsync(_hall.Applicant("rater-3"));
        await (await _hall.Applicant("stranger").PostAsJsonAsync($"/api/cases/{id}/ratings", Rating("acceptance", 1))).ShouldBeAsync(HttpStatusCode.NotFound);
        await RatingIdAsync(await _hall.Clerk.PostAsJsonAsync($"/api/cases/{id}/ratings", Rating("acceptance", 4, "代为评价")));
    }

    [Fact]
    public async Task Roles_that_may_not_rate_or_follow_up_are_forbidden()
    {
        var applicant = _hall.Applicant("rater-4");
        var id = await AcceptedCaseAsync(applicant);
        await (await _hall.Cashier.PostAsJsonAsync($"/api/cases/{id}/ratings", Rating("acceptance", 5))).ShouldBeAsync(HttpStatusCode.Forbidden);
        await (await _hall.Manager.PostAsJsonAsync($"/api/cases/{id}/ratings", Rating("acceptance", 5))).ShouldBeAsync(HttpStatusCode.Forbidden);
        var ratingId = await RatingIdAsync(await applicant.PostAsJsonAsync($"/api/cases/{id}/ratings", Rating("acceptance", 2)));
        await (await _hall.Clerk.PostAsJsonAsync($"/api/cases/{id}/ratings/{ratingId}/callback", new { note = "x" })).ShouldBeAsync(HttpStatusCode.Forbidden);
        await (await applicant.PostAsJsonAsync($"/api/cases/{id}/ratings/{ratingId}/rectification", new { note = "x" })).ShouldBeAsync(HttpStatusCode.Forbidden);
        await (await applicant.PostAsJsonAsync($"/api/cases/{id}/ratings/{ratingId}/appeal", new { reason = "x" })).ShouldBeAsync(HttpStatusCode.Forbidden);
        await (await _hall.MarketLeader.PostAsJsonAsync($"/api/cases/{id}/ratings/{ratingId}/appeal/decision", new { upheld = true, note = "x" }))
            .ShouldBeAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_bad_review_is_called_back_and_rectified_to_closure_by_the_manager_or_a_leader()
    {
        var applicant = _hall.Applicant("rater-5");
        var id = await AcceptedCaseAsync(applicant);
        var ratingId = await RatingIdAsync(await applicant.PostAsJsonAsync($"/api/cases/{id}/ratings", Rating("acceptance", 1)));
        var rating = await RatingAsync(id, ratingId);
        rating["followUp"]!.GetValue<string>().ShouldBe("callback");
        // Monday 2026-03-02: callback due the next working day, rectification 15 working days on.
        rating["callback"]!["dueDate"]!.GetValue<string>().ShouldBe("2026-03-03");
        rating["rectification"]!["dueDate"]!.GetValue<string>().ShouldBe("2026-03-23");

        await (await _hall.MarketLeader.PostAsJsonAsync($"/api/cases/{id}/ratings/{ratingId}/rectification", new { note = "整改" })).ShouldBeRefusedAsync("invalid-state");
        await (await _hall.Manager.PostAsJsonAsync($"/api/cases/{id}/ratings/{ratingId}/callback", new { note = "已电话回访，申请人说明情况" })).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.MarketLeader.PostAsJsonAsync($"/api/cases/{id}/ratings/{ratingId}/rectification", new { note = "窗口人员批评教育" })).ShouldBeAsync(HttpStatusCode.OK);
        (await RatingAsync(id, ratingId))["followUp"]!.GetValue<string>().ShouldBe("closed");
        await (await _hall.Manager.PostAsJsonAsync($"/api/cases/{id}/ratings/{ratingId}/callback", new { note = "again" })).ShouldBeRefusedAsync("invalid-state");
    }

    [Fact]
    public async Task A_bad_review_not_called_back_in_time_is_recorded_overdue_once_by_the_durable_timers()
    {
        var applicant = _hall.Applicant("rater-6");
        var id = await AcceptedCaseAsync(applicant);
        var ratingId = await RatingIdAsync(await applicant.PostAsJsonAsync($"/api/cases/{id}/ratings", Rating("acceptance", 2)));

        await _hall.SweepAsync();
        (await _hall.TypesAsync(id)).ShouldNotContain("rating_callback_overdue");

        _api.Clock.Set(new DateTimeOffset(2026, 3, 4, 9, 0, 0, TimeSpan.FromHours(8)));
        await _hall.SweepAsync();
        await _hall.SweepAsync();
        (await _hall.TypesAsync(id)).Count(t => t == "rating_callback_overdue").ShouldBe(1);
        (await _hall.TypesAsync(id)).ShouldNotContain("rating_rectification_overdue");
        (await RatingAsync(id, ratingId))["callback"]!["overdue"]!.GetValue<bool>().ShouldBeTrue();

        // Called back late: recorded late; the rectification timer still runs to its own due date.
        await (await _hall.Manager.PostAsJsonAsync($"/api/cases/{id}/ratings/{ratingId}/callback", new { note = "迟到的回访" })).ShouldBeAsync(HttpStatusCode.OK);
        (await RatingAsync(id, ratingId))["callback"]!["late"]!.GetValue<bool>().ShouldBeTrue();
        _api.Clock.Set(new DateTimeOffset(2026, 3, 24, 9, 0, 0, TimeSpan.FromHours(8)));
        await _hall.SweepAsync();
        (await _hall.TypesAsync(id)).Count(t => t == "rating_rectification_overdue").ShouldBe(1);
    }

    [Fact]
    public async Task A_bad_review_rectified_in_time_leaves_no_overdue_record()
    {
        var applicant = _hall.Applicant("rater-7");
        var id = await AcceptedCaseAsync(applicant);
        var ratingId = await RatingIdAsync(await applicant.PostAsJsonAsync($"/api/cases/{id}/ratings", Rating("acceptance", 1)));
        await (await _hall.Manager.PostAsJsonAsync($"/api/cases/{id}/ratings/{ratingId}/callback", new { note = "回访" })).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.Manager.PostAsJsonAsync($"/api/cases/{id}/ratings/{ratingId}/rectification", new { note = "整改" })).ShouldBeAsync(HttpStatusCode.OK);
        _api.Clock.Set(new DateTimeOffset(2026, 4, 30, 9, 0, 0, TimeSpan.FromHours(8)));
        await _hall.SweepAsync();
        (await _hall.TypesAsync(id)).ShouldNotContain(t => t.EndsWith("_overdue"));
    }

    [Fact]
    public async Task An_appeal_upheld_by_the_manager_excludes_the_review_and_ends_its_follow_up()
    {
        var applicant = _hall.Applicant("rater-8");
        var id = await AcceptedCaseAsync(applicant);
        var ratingId = await RatingIdAsync(await applicant.PostAsJsonAsync($"/api/cases/{id}/ratings", Rating("acceptance", 1, "乱评")));
        await (await _hall.Handler().PostAsJsonAsync($"/api/cases/{id}/ratings/{ratingId}/appeal", new { reason = "申请人误评：事项不在本窗口" })).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.Handler().PostAsJsonAsync($"/api/cases/{id}/ratings/{ratingId}/appeal", new { reason = "again" })).ShouldBeRefusedAsync("appeal-exists");
        await (await _hall.Manager.PostAsJsonAsync($"/api/cases/{id}/ratings/{ratingId}/appeal/decision", new { upheld = true, note = "核实为误评，不计入统计" }))
            .ShouldBeAsync(HttpStatusCode.OK);

        var rating = await RatingAsync(id, ratingId);
        (rating["excluded"]!.GetValue<bool>(), rating["followUp"]!.GetValue<string>(), rating["appeal"]!["upheld"]!.GetValue<bool>()).ShouldBe((true, "excluded", true));
        await (await _hall.Manager.PostAsJsonAsync($"/api/cases/{id}/ratings/{ratingId}/callback", new { note = "回访" })).ShouldBeRefusedAsync("invalid-state");
        _api.Clock.Set(new DateTimeOffset(2026, 4, 30, 9, 0, 0, TimeSpan.FromHours(8)));
        await _hall.SweepAsync();
        (await _hall.TypesAsync(id)).ShouldNotContain(t => t.EndsWith("_overdue"));
    }

    [Fact]
    public async Task An_unknown_rating_is_a_404_and_bad_rating_input_is_a_400()
    {
        var applicant = _hall.Applicant("rater-9");
        var id = await AcceptedCaseAsync(applicant);
        await (await _hall.Manager.PostAsJsonAsync($"/api/cases/{id}/ratings/nope/callback", new { note = "回访" })).ShouldBeAsync(HttpStatusCode.NotFound);
        await (await applicant.GetAsync($"/api/cases/{id}/ratings/nope")).ShouldBeAsync(HttpStatusCode.NotFound);
        await (await applicant.PostAsJsonAsync($"/api/cases/{id}/ratings", Rating("acceptance", 0))).ShouldBeInvalidAsync("level");
        await (await applicant.PostAsJsonAsync($"/api/cases/{id}/ratings", Rating("acceptance", 6))).ShouldBeInvalidAsync("level");
        await (await applicant.PostAsJsonAsync($"/api/cases/{id}/ratings", new { level = 3 })).ShouldBeInvalidAsync("stage");
        await (await applicant.PostAsync($"/api/cases/{id}/ratings", Http.Json("""{ "stage": "middle", "level": 3 }"""))).ShouldBeInvalidAsync();
        await (await applicant.PostAsync($"/api/cases/{id}/ratings", Http.Json("""{ "stage": "acceptance", "level": "five" }"""))).ShouldBeInvalidAsync();
        await (await applicant.PostAsJsonAsync($"/api/cases/{id}/ratings", Rating("acceptance", 1, comment: ""))).ShouldBeRefusedAsync("reason-required");
        (await _hall.ViewAsync(id, _hall.Manager))["ratings"]!.AsArray().ShouldBeEmpty();
    }
}

/// <summary>GovEvents:Ratings:* set by local rule: the follow-up due dates follow the configuration.</summary>
public sealed class RatingDeadlineSettingsTests(RatingDeadlineSettingsTests.LocalRuleHost api) : IClassFixture<RatingDeadlineSettingsTests.LocalRuleHost>
{
    public sealed class LocalRuleHost : HallHost
    {
        protected override void ConfigureSettings(IDictionary<string, string?> settings)
        {
            settings["GovEvents:Ratings:CallbackDays"] = "2";
            settings["GovEvents:Ratings:RectificationDays"] = "5";
        }
    }

    [Fact]
    public async Task Callback_and_rectification_due_dates_follow_the_configured_working_days()
    {
        var hall = api.Hall;
        await hall.MatterAsync("M-LOCAL");
        var applicant = hall.Applicant();
        var id = await hall.AcceptedOnlineCaseAsync("M-LOCAL", applicant);
        var response = await applicant.PostAsJsonAsync($"/api/cases/{id}/ratings", new { stage = "acceptance", level = 2, comment = "慢", realName = true });
        await response.ShouldBeAsync(HttpStatusCode.Created);
        var rating = (await hall.ViewAsync(id, hall.Manager))["ratings"]![0]!;
        rating["callback"]!["dueDate"]!.GetValue<string>().ShouldBe("2026-03-04");
        rating["rectification"]!["dueDate"]!.GetValue<string>().ShouldBe("2026-03-09");
    }
}
