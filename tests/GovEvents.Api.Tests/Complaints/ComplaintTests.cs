using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Complaints;

// Some tests move the dev clock: each starts from ApiHost.Start (xunit runs a class's tests one after another).
public sealed class ComplaintTests : IClassFixture<HallHost>
{
    private readonly HallHost _api;
    private readonly Hall _hall;

    public ComplaintTests(HallHost api)
    {
        _api = api;
        _hall = api.Hall;
        api.Clock.Set(ApiHost.Start);
    }

    private static object Complaint(string kind = "window", string target = Hall.Window, bool realName = true, string? name = "李四") => new
    {
        channel = "hotline", target = new { kind, id = target }, category = "conduct", content = "窗口人员态度生硬",
        complainant = new { name, phone = "13900000000", realName },
    };

    private async Task<string> FileAsync(HttpClient? by = null, object? body = null)
    {
        var response = await (by ?? _hall.Applicant("complainant-1")).PostAsJsonAsync("/api/complaints", body ?? Complaint());
        await response.ShouldBeAsync(HttpStatusCode.Created);
        var id = (await response.ReadJsonAsync())["id"]!.GetValue<string>();
        response.Headers.Location!.ToString().ShouldBe($"/api/complaints/{id}");
        return id;
    }

    private static string Stream(string id) => $"complaint-{id}";

    private async Task<string> StepAsync(string id, string step, object? body = null, HttpClient? by = null)
    {
        var response = await (by ?? _hall.Manager).PostAsJsonAsync($"/api/complaints/{id}/{step}", body ?? new { });
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return (await response.ReadJsonAsync())["status"]!.GetValue<string>();
    }

    private async Task<string> InvestigatedAsync(string result = "substantiated", HttpClient? by = null)
    {
        var id = await FileAsync(by);
        await StepAsync(id, "acceptance");
        await StepAsync(id, "assignment", new { departmentCode = Hall.Department, dueDays = 10 });
        await StepAsync(id, "findings", new { result, findings = "经查属实" });
        return id;
    }

    private async Task<JsonNode> DetailAsync(string id, HttpClient? by = null)
    {
        var response = await (by ?? _hall.Manager).GetAsync($"/api/complaints/{id}");
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return await response.ReadJsonAsync();
    }

    private async Task<JsonArray> ListAsync(string query, HttpClient? by = null)
    {
        await _hall.CaughtUpAsync();
        var response = await (by ?? _hall.Inspector).GetAsync($"/api/complaints?{query}");
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return (await response.ReadJsonAsync())["items"]!.AsArray();
    }

    [Fact]
    public async Task The_whole_flow_runs_from_filing_to_closure_with_each_step_due_in_working_days()
    {
        var id = await FileAsync();
        var filed = await DetailAsync(id);
        (filed["status"]!.GetValue<string>(), filed["awaitedStep"]!.GetValue<string>(), filed["dueDate"]!.GetValue<string>())
            .ShouldBe(("filed", "acceptance", "2026-03-09"));
        filed["departmentCode"]!.GetValue<string>().ShouldBe("HALL");

        (await StepAsync(id, "acceptance")).ShouldBe("accepted");
        (await StepAsync(id, "assignment", new { departmentCode = Hall.Department, dueDays = 10 }, _hall.MarketLeader)).ShouldBe("assigned");
        (await DetailAsync(id))["dueDate"]!.GetValue<string>().ShouldBe("2026-03-16");
        (await StepAsync(id, "findings", new { result = "partly", findings = "部分属实" })).ShouldBe("investigated");
        (await StepAsync(id, "rectification", new { actions = "批评教育，规范用语" })).ShouldBe("rectified");
        (await StepAsync(id, "reply", new { content = "已整改，致歉" })).ShouldBe("replied");
        (await StepAsync(id, "closure", new { satisfaction = 4 })).ShouldBe("closed");

        var closed = await DetailAsync(id);
        (closed["departmentCode"]!.GetValue<string>(), closed["satisfaction"]!.GetValue<int>(), closed["findings"]!["result"]!.GetValue<string>())
            .ShouldBe((Hall.Department, 4, "partly"));
        closed["open"]!.GetValue<bool>().ShouldBeFalse();
        closed["dueDate"].ShouldBeNull();
    }

    [Fact]
    public async Task A_step_out_of_order_is_refused_and_appends_nothing()
    {
        var id = await FileAsync();
        var before = await _hall.StreamVersionAsync(Stream(id));
        await (await _hall.Manager.PostAsJsonAsync($"/api/complaints/{id}/assignment", new { departmentCode = Hall.Department, dueDays = 5 }))
            .ShouldBeRefusedAsync("invalid-state");
        await (await _hall.Manager.PostAsJsonAsync($"/api/complaints/{id}/closure", new { satisfaction = 5 })).ShouldBeRefusedAsync("invalid-state");
        (await _hall.StreamVersionAsync(Stream(id))).ShouldBe(before);
        await StepAsync(id, "acceptance");
        await (await _hall.Manager.PostAsJsonAsync($"/api/complaints/{id}/acceptance", new { })).ShouldBeRefusedAsync("invalid-state");
    }

    [Fact]
    public async Task A_reply_before_findings_is_refused_and_substantiated_findings_are_rectified_first()
    {
        var id = await FileAsync();
        await StepAsync(id, "acceptance");
        await StepAsync(id, "assignment", new { departmentCode = Hall.Department, dueDays = 5 });
        var before = await _hall.StreamVersionAsync(Stream(id));
        await (await _hall.Manager.PostAsJsonAsync($"/api/complaints/{id}/reply", new { content = "答复" })).ShouldBeRefusedAsync("invalid-state");
        (await _hall.StreamVersionAsync(Stream(id))).ShouldBe(before);
        await StepAsync(id, "findings", new { result = "substantiated", findings = "属实" });
        await (await _hall.Manager.PostAsJsonAsync($"/api/complaints/{id}/reply", new { content = "答复" })).ShouldBeRefusedAsync("invalid-state");
    }

    [Fact]
    public async Task An_unsubstantiated_complaint_is_replied_to_without_rectification()
    {
        var id = await InvestigatedAsync("unsubstantiated");
        await (await _hall.Manager.PostAsJsonAsync($"/api/complaints/{id}/rectification", new { actions = "无" })).ShouldBeRefusedAsync("complaint-unsubstantiated");
        (await StepAsync(id, "reply", new { content = "经核查，投诉不属实" })).ShouldBe("replied");
    }

    [Fact]
    public async Task A_declined_complaint_states_its_reason_and_ends()
    {
        var id = await FileAsync();
        await (await _hall.Manager.PostAsJsonAsync($"/api/complaints/{id}/declination", new { })).ShouldBeRefusedAsync("reason-required");
        (await StepAsync(id, "declination", new { reason = "不属于本中心受理范围" })).ShouldBe("declined");
        await (await _hall.Manager.PostAsJsonAsync($"/api/complaints/{id}/acceptance", new { })).ShouldBeRefusedAsync("invalid-state");
    }

    [Fact]
    public async Task Roles_that_may_not_act_are_forbidden_and_unknown_complaints_are_404()
    {
        await (await _hall.Cashier.PostAsJsonAsync("/api/complaints", Complaint())).ShouldBeAsync(HttpStatusCode.Forbidden);
        await (await _hall.Inspector.PostAsJsonAsync("/api/complaints", Complaint())).ShouldBeAsync(HttpStatusCode.Forbidden);
        var id = await FileAsync();
        var before = await _hall.StreamVersionAsync(Stream(id));
        await (await _hall.Clerk.PostAsJsonAsync($"/api/complaints/{id}/acceptance", new { })).ShouldBeAsync(HttpStatusCode.Forbidden);
        await (await _hall.Inspector.PostAsJsonAsync($"/api/complaints/{id}/acceptance", new { })).ShouldBeAsync(HttpStatusCode.Forbidden);
        await (await _hall.Applicant("complainant-1").PostAsJsonAsync($"/api/complaints/{id}/closure", new { satisfaction = 5 })).ShouldBeAsync(HttpStatusCode.Forbidden);
        await (await _hall.Handler().PostAsJsonAsync($"/api/complaints/{id}/acceptance", new { })).ShouldBeAsync(HttpStatusCode.Forbidden);
        await (await _hall.Cashier.GetAsync($"/api/complaints/{id}")).ShouldBeAsync(HttpStatusCode.Forbidden);
        (await _hall.StreamVersionAsync(Stream(id))).ShouldBe(before);
        await (await _hall.Manager.PostAsJsonAsync("/api/complaints/nope/acceptance", new { })).ShouldBeAsync(HttpStatusCode.NotFound);
        await (await _hall.Manager.GetAsync("/api/complaints/nope")).ShouldBeAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_complainant_reads_their_own_complaint_others_get_a_404_and_overseers_read_every_one()
    {
        var filer = _hall.Applicant("complainant-2");
        var id = await FileAsync(filer);
        (await DetailAsync(id, filer))["content"]!.GetValue<string>().ShouldBe("窗口人员态度生硬");
        await (await _hall.Applicant("someone-else").GetAsync($"/api/complaints/{id}")).ShouldBeAsync(HttpStatusCode.NotFound);
        await (await _hall.Clerk.GetAsync($"/api/complaints/{id}")).ShouldBeAsync(HttpStatusCode.NotFound);
        await DetailAsync(id, _hall.Inspector);
        await DetailAsync(id, _hall.MarketLeader);

        (await ListAsync("", filer)).Select(c => c!["id"]!.GetValue<string>()).ShouldBe([id]);
        (await ListAsync("", _hall.Applicant("someone-else"))).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_applicant_token_carrying_a_staff_id_does_not_read_what_that_staff_member_filed()
    {
        var byPhone = await FileAsync(_hall.Clerk); // a clerk records a phone complaint
        var impostor = _hall.Applicant(Hall.ClerkId);

        await (await impostor.GetAsync($"/api/complaints/{byPhone}")).ShouldBeAsync(HttpStatusCode.NotFound);
        (await ListAsync("", impostor)).ShouldBeEmpty();
        await (await _hall.Clerk.GetAsync($"/api/complaints/{byPhone}")).ShouldBeAsync(HttpStatusCode.OK); // the staff member who filed it still does
    }

    [Fact]
    public async Task The_list_filters_by_status_department_and_overdue_and_pages()
    {
        var onWindow = await FileAsync();
        var onStaff = await FileAsync(body: Complaint("staff", "market-h1"));
        var declined = await FileAsync();
        await StepAsync(declined, "declination", new { reason = "重复投诉" });

        var market = await ListAsync($"departmentCode={Hall.Department}");
        market.Select(c => c!["id"]!.GetValue<string>()).ShouldContain(onStaff);
        market.ShouldAllBe(c => c!["departmentCode"]!.GetValue<string>() == Hall.Department);
        var declinedOnes = await ListAsync("status=declined");
        declinedOnes.Select(c => c!["id"]!.GetValue<string>()).ShouldContain(declined);
        declinedOnes.ShouldAllBe(c => c!["status"]!.GetValue<string>() == "declined");
        (await ListAsync("overdue=true")).ShouldBeEmpty();

        // Acceptance was due 2026-03-09: on the 10th the filed ones are overdue, the declined one is not.
        _api.Clock.Set(new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.FromHours(8)));
        var overdue = (await ListAsync("overdue=true")).Select(c => c!["id"]!.GetValue<string>()).ToList();
        overdue.ShouldContain(onWindow);
        overdue.ShouldContain(onStaff);
        overdue.ShouldNotContain(declined);
        (await ListAsync("overdue=false")).Select(c => c!["id"]!.GetValue<string>()).ShouldContain(declined);

        await _hall.CaughtUpAsync();
        var page = await (await _hall.Manager.GetAsync("/api/complaints?pageSize=1&page=2")).ReadJsonAsync();
        (page["pageSize"]!.GetValue<int>(), page["page"]!.GetValue<int>(), page["items"]!.AsArray().Count).ShouldBe((1, 2, 1));
        page["total"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(3);
        await (await _hall.Manager.GetAsync("/api/complaints?status=lost")).ShouldBeInvalidAsync("status");
        await (await _hall.Manager.GetAsync("/api/complaints?pageSize=501")).ShouldBeInvalidAsync("pageSize");
    }

    [Fact]
    public async Task An_overdue_step_is_recorded_once_by_the_durable_timers()
    {
        var id = await FileAsync();
        await _hall.SweepAsync();
        (await _hall.TypesAsync(Stream(id))).ShouldNotContain("complaint_step_overdue");

        _api.Clock.Set(new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.FromHours(8)));
        await _hall.SweepAsync();
        await _hall.SweepAsync();
        (await _hall.TypesAsync(Stream(id))).Count(t => t == "complaint_step_overdue").ShouldBe(1);
        var detail = await DetailAsync(id);
        detail["overdue"]!.GetValue<bool>().ShouldBeTrue();
        detail["overdueSteps"]![0]!["step"]!.GetValue<string>().ShouldBe("acceptance");

        // The next step has its own due date: accepted late, assignment due 3 working days on.
        await StepAsync(id, "acceptance");
        (await DetailAsync(id))["overdue"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task A_complaint_about_a_case_is_the_applicants_own_case_and_another_applicants_case_is_not_disclosed()
    {
        await _hall.MatterAsync("M-COMPLAIN");
        var owner = _hall.Applicant("case-owner");
        var caseId = await _hall.SubmitOnlineAsync("M-COMPLAIN", owner);
        var id = await FileAsync(owner, Complaint("case", caseId));
        (await DetailAsync(id))["departmentCode"]!.GetValue<string>().ShouldBe(Hall.Department);
        await (await _hall.Applicant("stranger").PostAsJsonAsync("/api/complaints", Complaint("case", caseId))).ShouldBeInvalidAsync("target.id");
        await FileAsync(_hall.Clerk, Complaint("case", caseId));
    }

    [Fact]
    public async Task Bad_complaint_input_is_a_400_never_a_5xx()
    {
        var applicant = _hall.Applicant("complainant-3");
        await (await applicant.PostAsJsonAsync("/api/complaints", Complaint(target: "NO-WINDOW"))).ShouldBeInvalidAsync("target.id");
        await (await applicant.PostAsJsonAsync("/api/complaints", Complaint(name: null))).ShouldBeInvalidAsync("complainant.name");
        await (await applicant.PostAsJsonAsync("/api/complaints", new { channel = "hotline", category = "conduct", content = "x" })).ShouldBeInvalidAsync("target.kind");
        await (await applicant.PostAsync("/api/complaints", Http.Json("""{ "channel": "fax" }"""))).ShouldBeInvalidAsync();
        await (await applicant.PostAsync("/api/complaints", Http.Json("{"))).ShouldBeInvalidAsync();
        (await applicant.PostAsJsonAsync("/api/complaints", Complaint(realName: false, name: null))).StatusCode.ShouldBe(HttpStatusCode.Created);

        var id = await FileAsync();
        await StepAsync(id, "acceptance");
        await (await _hall.Manager.PostAsJsonAsync($"/api/complaints/{id}/assignment", new { departmentCode = Hall.Department, dueDays = 0 })).ShouldBeInvalidAsync("dueDays");
        await (await _hall.Manager.PostAsJsonAsync($"/api/complaints/{id}/assignment", new { departmentCode = "NOWHERE", dueDays = 5 })).ShouldBeInvalidAsync("departmentCode");
        await (await _hall.Manager.PostAsJsonAsync($"/api/complaints/{id}/closure", new { satisfaction = 7 })).ShouldBeInvalidAsync("satisfaction");
        await (await _hall.Manager.PostAsync($"/api/complaints/{id}/findings", Http.Json("""{ "result": "maybe", "findings": "x" }"""))).ShouldBeInvalidAsync();
        (await DetailAsync(id))["status"]!.GetValue<string>().ShouldBe("accepted");
    }

    [Fact]
    public async Task Accountability_is_recorded_against_the_staff_member_and_linked_to_the_complaint()
    {
        var id = await InvestigatedAsync();
        var response = await _hall.MarketLeader.PostAsJsonAsync("/api/staff/clerk-1/accountability",
            new { measure = "education", complaintId = id, reason = "服务态度生硬，经查属实" });
        await response.ShouldBeAsync(HttpStatusCode.Created);
        var measureId = (await response.ReadJsonAsync())["id"]!.GetValue<string>();

        var measures = await (await _hall.Inspector.GetAsync("/api/staff/clerk-1/accountability")).ReadJsonAsync();
        var measure = measures["items"]!.AsArray().Single(m => m!["measureId"]!.GetValue<string>() == measureId)!;
        (measure["measure"]!.GetValue<string>(), measure["complaintId"]!.GetValue<string>()).ShouldBe(("education", id));
        var linked = (await DetailAsync(id))["accountability"]!.AsArray().ShouldHaveSingleItem()!;
        (linked["staffId"]!.GetValue<string>(), linked["measureId"]!.GetValue<string>()).ShouldBe(("clerk-1", measureId));

        await (await _hall.Manager.PostAsJsonAsync("/api/staff/clerk-1/accountability", new { measure = "reminder", reason = "提醒" })).ShouldBeAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Accountability_needs_substantiated_findings_a_known_staff_member_and_an_overseer()
    {
        var open = await FileAsync();
        var staffBefore = await _hall.StreamVersionAsync("staff-market-h1");
        await (await _hall.Manager.PostAsJsonAsync("/api/staff/market-h1/accountability", new { measure = "notice", complaintId = open, reason = "通报" }))
            .ShouldBeRefusedAsync("invalid-state");
        (await _hall.StreamVersionAsync("staff-market-h1")).ShouldBe(staffBefore);
        await (await _hall.Manager.PostAsJsonAsync("/api/staff/market-h1/accountability", new { measure = "notice", reason = "" })).ShouldBeRefusedAsync("reason-required");
        await (await _hall.Manager.PostAsJsonAsync("/api/staff/nobody/accountability", new { measure = "notice", reason = "x" })).ShouldBeAsync(HttpStatusCode.NotFound);
        await (await _hall.Manager.PostAsJsonAsync("/api/staff/market-h1/accountability", new { measure = "notice", complaintId = "nope", reason = "x" }))
            .ShouldBeInvalidAsync("complaintId");
        await (await _hall.Manager.PostAsync("/api/staff/market-h1/accountability", Http.Json("""{ "measure": "firing", "reason": "x" }"""))).ShouldBeInvalidAsync();
        await (await _hall.Inspector.PostAsJsonAsync("/api/staff/market-h1/accountability", new { measure = "notice", reason = "x" })).ShouldBeAsync(HttpStatusCode.Forbidden);
        await (await _hall.Clerk.GetAsync("/api/staff/market-h1/accountability")).ShouldBeAsync(HttpStatusCode.Forbidden);
        (await _hall.StreamVersionAsync("staff-market-h1")).ShouldBe(staffBefore);
    }
}
