using System.Net;
using System.Net.Http.Json;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Cases;

/// <summary>Submission, supplements, acceptance (容缺 included), non-acceptance, withdrawal, transfer.</summary>
public sealed class IntakeTests(HallHost api) : IClassFixture<HallHost>, IDisposable
{
    private readonly Hall _hall = api.Hall;

    public void Dispose() => api.Clock.Set(ApiHost.Start);

    [Fact]
    public async Task Submitting_an_application_is_a_201_with_its_number_query_code_and_location()
    {
        var response = await _hall.SubmitRawAsync("T1");

        await response.ShouldBeAsync(HttpStatusCode.Created);
        var body = await response.ReadJsonAsync();
        var id = body.Str("id");
        body.Str("status").ShouldBe("submitted");
        body.Str("caseNumber").ShouldStartWith("2026");
        body.Str("queryCode").ShouldMatch("^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$"); // 50 bits of Crockford base32
        response.Headers.Location!.ToString().ShouldBe($"/api/cases/{id}");
        response.Headers.ETag!.Tag.ShouldBe("\"1\"");

        var view = await _hall.ViewAsync(id);
        view.Str("matterCode").ShouldBe("T1");
        view["matterVersion"]!.GetValue<int>().ShouldBe(1);
        view.Str("departmentCode").ShouldBe("MARKET");
        view.Str("channel").ShouldBe("window");
        view.Str("windowCode").ShouldBe("ZH-01");
        view["applicant"]!.Str("kind").ShouldBe("person");
        view["receivedAt"]!.GetValue<DateTimeOffset>().ShouldBe(ApiHost.Start);
        view["promisedDeadline"].ShouldBeNull();
    }

    [Fact]
    public async Task The_window_of_a_submission_is_the_one_the_organisation_registered_not_a_header_the_client_sends()
    {
        var clerk2 = _hall.As("clerk-2", [Roles.Clerk], "HALL"); // no window claim; registered at ZH-01
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases")
        {
            Content = JsonContent.Create(new { matterCode = "T1", applicant = Hall.Person(), channel = "window", materials = HallSeed.CompleteMaterials("T1") }),
        };
        request.Headers.Add("X-Window", "MKT-01");

        var response = await clerk2.SendAsync(request);

        await response.ShouldBeAsync(HttpStatusCode.Created);
        var id = (await response.ReadJsonAsync()).Str("id");
        (await _hall.ViewAsync(id)).Str("windowCode").ShouldBe("ZH-01");
        (await api.Store.FetchStreamAsync(id)).Single().Metadata.Window.ShouldBe("ZH-01");
        var byWindow = await (await _hall.Manager.GetAsync("/api/metrics/timeliness?groupBy=window")).ReadJsonAsync();
        (byWindow["items"] ?? byWindow["rows"])!.AsArray().Select(r => r!.Str("key")).ShouldNotContain("MKT-01");
    }

    [Fact]
    public async Task Submitting_for_a_matter_not_in_the_catalogue_is_a_400() =>
        await (await _hall.SubmitRawAsync("NO-SUCH-MATTER", ["form"])).ShouldBeInvalidAsync("matterCode");

    [Fact]
    public async Task Submitting_materials_the_matter_does_not_ask_for_is_a_400()
    {
        var response = await _hall.SubmitRawAsync("T1", ["form", "passport-photo"]);

        await response.ShouldBeInvalidAsync("materials");
    }

    [Fact]
    public async Task Accepting_without_a_mandatory_material_is_refused_and_appends_nothing()
    {
        var c = await _hall.SubmitAsync("T3", ["form"]);

        var response = await _hall.CommandAsync(_hall.Clerk, c.Id, "acceptance");

        await response.ShouldBeRefusedAsync("materials-incomplete");
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(1);
        (await _hall.ViewAsync(c.Id)).Str("status").ShouldBe("submitted");
    }

    [Fact]
    public async Task Acceptance_sets_the_promised_and_statutory_deadlines_in_working_days_after_the_day_of_acceptance()
    {
        var c = await _hall.SubmitAsync("T1");

        var accepted = await _hall.AcceptAsync(c.Id);

        // Accepted Monday 2 March: the 10th working day after is 16 March, the 20th is 30 March.
        accepted.Str("status").ShouldBe("accepted");
        accepted["version"]!.GetValue<int>().ShouldBe(2);
        accepted.Str("promisedDeadline").ShouldBe("2026-03-16");
        accepted.Str("statutoryDeadline").ShouldBe("2026-03-30");
        var view = await _hall.ViewAsync(c.Id);
        view.Str("status").ShouldBe("accepted");
        view.Str("promisedDeadline").ShouldBe("2026-03-16");
        view.Str("statutoryDeadline").ShouldBe("2026-03-30");
        view["acceptedAt"]!.GetValue<DateTimeOffset>().ShouldBe(ApiHost.Start);
        view["deemedAccepted"]!.GetValue<bool>().ShouldBeFalse();
        view.Str("light").ShouldBe("green");
    }

    [Fact]
    public async Task Acceptance_with_a_deferrable_material_missing_is_容缺_with_its_due_date()
    {
        var c = await _hall.SubmitAsync("T3", ["form"]);

        var response = await _hall.CommandAsync(_hall.Clerk, c.Id, "acceptance",
            new { deferred = new[] { new { material = "plan", dueDate = "2026-03-13" } } });

        await response.ShouldBeAsync(HttpStatusCode.OK);
        (await response.ReadJsonAsync()).Str("status").ShouldBe("accepted");
        var deferred = (await _hall.ViewAsync(c.Id))["deferred"]!.AsArray().ShouldHaveSingleItem()!;
        deferred.Str("material").ShouldBe("plan");
        deferred.Str("dueDate").ShouldBe("2026-03-13");
        deferred["delivered"]!.GetValue<bool>().ShouldBeFalse();

        // The applicant delivers it later: a supplement to the accepted case.
        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "supplements", new { materials = new[] { "plan" } })).ShouldBeAsync(HttpStatusCode.OK);
        var view = await _hall.ViewAsync(c.Id);
        view.Str("status").ShouldBe("accepted");
        view["deferred"]![0]!["delivered"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Deferring_a_material_that_is_not_deferrable_is_refused()
    {
        var c = await _hall.SubmitAsync("T3", ["plan"]);

        var response = await _hall.CommandAsync(_hall.Clerk, c.Id, "acceptance",
            new { deferred = new[] { new { material = "form", dueDate = "2026-03-13" } } });

        await response.ShouldBeRefusedAsync("materials-incomplete");
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task A_deferred_material_due_today_or_earlier_is_refused()
    {
        var c = await _hall.SubmitAsync("T3", ["form"]);

        var response = await _hall.CommandAsync(_hall.Clerk, c.Id, "acceptance",
            new { deferred = new[] { new { material = "plan", dueDate = "2026-03-02" } } });

        await response.ShouldBeRefusedAsync("materials-incomplete");
    }

    [Fact]
    public async Task A_deferred_material_without_a_due_date_is_a_400()
    {
        var c = await _hall.SubmitAsync("T3", ["form"]);

        var response = await _hall.CommandAsync(_hall.Clerk, c.Id, "acceptance", new { deferred = new[] { new { material = "plan" } } });

        await response.ShouldBeInvalidAsync("deferred[0].dueDate");
    }

    [Fact]
    public async Task A_supplement_request_names_the_missing_materials_and_the_supplement_returns_the_case_to_submitted()
    {
        var c = await _hall.SubmitAsync("T3", ["form"]);

        var requested = await _hall.CommandAsync(_hall.Clerk, c.Id, "supplement-requests", new { materials = new[] { "plan" }, note = "请补正场所平面图" });
        await requested.ShouldBeAsync(HttpStatusCode.OK);
        (await requested.ReadJsonAsync()).Str("status").ShouldBe("supplementing");

        var supplemented = await _hall.CommandAsync(_hall.Clerk, c.Id, "supplements", new { materials = new[] { "plan" } });
        await supplemented.ShouldBeAsync(HttpStatusCode.OK);
        (await supplemented.ReadJsonAsync()).Str("status").ShouldBe("submitted");

        (await _hall.AcceptAsync(c.Id)).Str("status").ShouldBe("accepted");
        (await _hall.ViewAsync(c.Id))["materials"]!.AsArray().Select(m => m!.GetValue<string>()).ShouldBe(["form", "plan"], ignoreOrder: true);
    }

    [Fact]
    public async Task The_applicant_supplements_their_own_case()
    {
        var applicant = _hall.Applicant("applicant-supplements");
        var c = await _hall.SubmitAsync("T3", ["form"], by: applicant, channel: "online");
        await _hall.CommandAsync(_hall.Clerk, c.Id, "supplement-requests", new { materials = new[] { "plan" }, note = "" });

        var response = await _hall.CommandAsync(applicant, c.Id, "supplements", new { materials = new[] { "plan" } });

        await response.ShouldBeAsync(HttpStatusCode.OK);
        (await _hall.CommandAsync(_hall.Applicant("someone-else"), c.Id, "supplements", new { materials = new[] { "plan" } }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Supplement_requests_and_supplements_are_refused_when_they_make_no_sense()
    {
        var c = await _hall.AcceptedCaseAsync("T3");

        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "supplement-requests", new { materials = new[] { "plan" }, note = "" }))
            .ShouldBeRefusedAsync("invalid-state");
        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "supplement-requests", new { materials = Array.Empty<string>(), note = "" }))
            .ShouldBeInvalidAsync("materials");
        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "supplements", new { materials = Array.Empty<string>() }))
            .ShouldBeInvalidAsync("materials");
        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "supplements", new { materials = new[] { "passport-photo" } }))
            .ShouldBeRefusedAsync("material-unknown");
        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "non-acceptance", new { reason = "x", legalBasis = "y" }))
            .ShouldBeRefusedAsync("invalid-state");
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(2);

        var submitted = await _hall.SubmitAsync("T3", ["form"]);
        await (await _hall.CommandAsync(_hall.Clerk, submitted.Id, "supplement-requests", new { materials = new[] { "passport-photo" }, note = "" }))
            .ShouldBeRefusedAsync("material-unknown");
        (await _hall.StreamVersionAsync(submitted.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task Non_acceptance_needs_a_reason_and_a_legal_basis_and_closes_the_case()
    {
        var c = await _hall.SubmitAsync("T1");

        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "non-acceptance", new { legalBasis = "《行政许可法》第三十二条" }))
            .ShouldBeRefusedAsync("reason-required");
        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "non-acceptance", new { reason = "不属于本机关职权范围" }))
            .ShouldBeRefusedAsync("legal-basis-required");
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(1);

        var refused = await _hall.CommandAsync(_hall.Clerk, c.Id, "non-acceptance", new { reason = "不属于本机关职权范围", legalBasis = "《行政许可法》第三十二条" });

        await refused.ShouldBeAsync(HttpStatusCode.OK);
        (await refused.ReadJsonAsync()).Str("status").ShouldBe("not-accepted");
        var view = await _hall.ViewAsync(c.Id);
        view.Str("status").ShouldBe("not-accepted");
        view["light"].ShouldBeNull();
        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "acceptance")).ShouldBeRefusedAsync("invalid-state");
    }

    [Fact]
    public async Task The_applicant_withdraws_their_own_case_with_a_reason()
    {
        var applicant = _hall.Applicant("applicant-withdraws");
        var c = await _hall.SubmitAsync("T1", by: applicant, channel: "online");

        await (await _hall.CommandAsync(applicant, c.Id, "withdrawal", new { reason = "" })).ShouldBeRefusedAsync("reason-required");
        (await _hall.CommandAsync(_hall.Applicant("someone-else"), c.Id, "withdrawal", new { reason = "不办了" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var withdrawn = await _hall.CommandAsync(applicant, c.Id, "withdrawal", new { reason = "不办了" });

        await withdrawn.ShouldBeAsync(HttpStatusCode.OK);
        (await _hall.ViewAsync(c.Id)).Str("status").ShouldBe("withdrawn");
        await (await _hall.CommandAsync(applicant, c.Id, "withdrawal", new { reason = "不办了" })).ShouldBeRefusedAsync("invalid-state");
    }

    [Fact]
    public async Task A_decided_case_cannot_be_withdrawn()
    {
        var c = await _hall.AcceptedCaseAsync("T1");
        await (await _hall.SignAsync(c.Id, "market-a1", "approver")).ShouldBeAsync(HttpStatusCode.OK);

        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "withdrawal", new { reason = "不办了" })).ShouldBeRefusedAsync("already-decided");
    }

    [Fact]
    public async Task An_accepted_case_is_transferred_to_the_deciding_hall_with_its_materials()
    {
        var c = await _hall.AcceptedCaseAsync("T3");

        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "transfer", new { reason = "市级审批" })).ShouldBeInvalidAsync("toHall");
        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "transfer", new { toHall = "CITY" })).ShouldBeRefusedAsync("reason-required");
        var transferred = await _hall.CommandAsync(_hall.Clerk, c.Id, "transfer", new { toHall = "CITY", reason = "县级初审完毕，报市级决定" });

        await transferred.ShouldBeAsync(HttpStatusCode.OK);
        (await transferred.ReadJsonAsync()).Str("status").ShouldBe("transferred");
        var view = await _hall.ViewAsync(c.Id);
        view.Str("transferredTo").ShouldBe("CITY");
        var history = await (await _hall.Clerk.GetAsync($"/api/cases/{c.Id}/history")).ReadJsonAsync();
        var data = history.AsArray().Last()!["data"]!;
        data["materials"]!.AsArray().Select(m => m!.GetValue<string>()).ShouldBe(["form", "plan"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_case_not_yet_accepted_is_not_transferred()
    {
        var c = await _hall.SubmitAsync("T1");

        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "transfer", new { toHall = "CITY", reason = "x" })).ShouldBeRefusedAsync("invalid-state");
    }

    [Fact]
    public async Task A_command_on_an_unknown_case_is_a_404()
    {
        var response = await _hall.CommandAsync(_hall.Clerk, Guid.NewGuid().ToString(), "acceptance");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.MediaType().ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task An_agent_submits_for_the_applicant_and_is_recorded_as_the_agent()
    {
        var c = await _hall.SubmitAsync("T1", by: _hall.Agent(), channel: "window");

        var view = await _hall.ViewAsync(c.Id);

        view.Str("agentStaffId").ShouldBe("agent-1");
    }

    [Fact]
    public async Task A_clerk_names_the_agent_acting_for_the_applicant()
    {
        var c = await _hall.SubmitAsync("T1", agentStaffId: "agent-2");

        (await _hall.ViewAsync(c.Id)).Str("agentStaffId").ShouldBe("agent-2");
        (await _hall.Agent("agent-2").GetAsync($"/api/cases/{c.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_retried_submission_with_the_same_Idempotency_Key_creates_one_case()
    {
        var body = new { matterCode = "T1", applicant = Hall.Person(), channel = "window", materials = new[] { "form" } };
        var key = "submit-" + Guid.NewGuid();
        var casesBefore = await api.CaseCountAsync();

        var first = await _hall.Clerk.SendAsync(Http.Post("/api/cases", body, key));
        var retry = await _hall.Clerk.SendAsync(Http.Post("/api/cases", body, key));

        await first.ShouldBeAsync(HttpStatusCode.Created);
        await retry.ShouldBeAsync(HttpStatusCode.Created);
        (await retry.ReadJsonAsync()).Str("id").ShouldBe((await first.ReadJsonAsync()).Str("id"));
        retry.Headers.Location.ShouldBe(first.Headers.Location);
        (await api.CaseCountAsync()).ShouldBe(casesBefore + 1);
    }

    [Fact]
    public async Task A_retried_acceptance_with_the_same_Idempotency_Key_appends_nothing()
    {
        var c = await _hall.SubmitAsync("T1");

        var first = await _hall.Clerk.SendAsync(Http.Post($"/api/cases/{c.Id}/acceptance", new { }, "accept-" + c.Id));
        var retry = await _hall.Clerk.SendAsync(Http.Post($"/api/cases/{c.Id}/acceptance", new { }, "accept-" + c.Id));

        await first.ShouldBeAsync(HttpStatusCode.OK);
        await retry.ShouldBeAsync(HttpStatusCode.OK);
        retry.Headers.GetValues("Idempotent-Replayed").ShouldHaveSingleItem().ShouldBe("true");
        (await retry.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(2);
    }

    [Fact]
    public async Task Two_clerks_accepting_at_once_record_one_acceptance()
    {
        var c = await _hall.SubmitAsync("T1");

        var responses = await Task.WhenAll(
            _hall.CommandAsync(_hall.Clerk, c.Id, "acceptance"),
            _hall.CommandAsync(_hall.As("clerk-2", ["clerk"], "HALL", "ZH-01"), c.Id, "acceptance"));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        responses.Single(r => r.StatusCode != HttpStatusCode.OK).StatusCode.ShouldBeOneOf(HttpStatusCode.UnprocessableEntity, HttpStatusCode.Conflict);
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(2);
    }

    [Fact]
    public async Task The_agent_withdraws_a_case_they_act_for()
    {
        var agent = _hall.Agent("agent-withdraws");
        var c = await _hall.SubmitAsync("T1", agentStaffId: "agent-withdraws");

        await (await _hall.CommandAsync(agent, c.Id, "withdrawal", new { reason = "申请人委托撤回" })).ShouldBeAsync(HttpStatusCode.OK);

        (await _hall.ViewAsync(c.Id)).Str("status").ShouldBe("withdrawn");
    }

    [Fact]
    public async Task Commands_without_a_body_of_their_own_take_an_empty_request()
    {
        var c = await _hall.SubmitAsync("PARALLEL");

        await (await _hall.Clerk.PostAsync($"/api/cases/{c.Id}/acceptance", null)).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.Handler().PostAsync($"/api/cases/{c.Id}/parallel-review", null)).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "suspensions", new { reason = "hearing", expectedDays = 2, approvedBy = "局长" }))
            .ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.Handler().PostAsync($"/api/cases/{c.Id}/resumption", null)).ShouldBeAsync(HttpStatusCode.OK);
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(5);
    }

    [Fact]
    public async Task The_day_of_an_act_is_the_hall_s_date_of_it()
    {
        // 16:30 UTC on 2 March is 00:30 on Tuesday 3 March in the hall (UTC+8).
        await _hall.SetClockAsync(new DateTimeOffset(2026, 3, 2, 16, 30, 0, TimeSpan.Zero));
        var c = await _hall.SubmitAsync("T1");

        var accepted = await _hall.AcceptAsync(c.Id);

        accepted.Str("promisedDeadline").ShouldBe("2026-03-17");
        var view = await _hall.ViewAsync(c.Id);
        view.Str("receivedAt").ShouldBe("2026-03-03T00:30:00+08:00");
        await _hall.CaughtUpAsync();
        (await (await _hall.Clerk.GetAsync("/api/cases?from=2026-03-03&to=2026-03-03")).ReadJsonAsync())["items"]!.AsArray()
            .Select(i => i.Str("id")).ShouldContain(c.Id);
    }
}
