using System.Net;
using System.Net.Http.Json;
using GovEvents.Api.Demo;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Organisation;

/// <summary>The hall's organisation (departments, leaders, windows, staff, delegations) and its working-day calendar.</summary>
public sealed class OrganisationTests(HallHost api) : IClassFixture<HallHost>, IDisposable
{
    private readonly Hall _hall = api.Hall;

    public void Dispose() => api.Clock.Set(ApiHost.Start);

    private HttpClient M => _hall.Manager;

    [Fact]
    public async Task A_department_is_created_once()
    {
        var created = await M.PostAsJsonAsync("/api/departments", new { code = "LAW", name = "司法局" });

        await created.ShouldBeAsync(HttpStatusCode.Created);
        created.Headers.Location!.ToString().ShouldBe("/api/departments/LAW");
        var body = await created.ReadJsonAsync();
        body.Str("id").ShouldBe("LAW");
        body["version"]!.GetValue<int>().ShouldBe(1);
        (await M.PostAsJsonAsync("/api/departments", new { code = "LAW", name = "司法局" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await _hall.StreamVersionAsync("department-LAW")).ShouldBe(1);
    }

    [Fact]
    public async Task A_leader_assigned_later_signs_without_a_delegation()
    {
        await (await M.PostAsJsonAsync("/api/departments", new { code = "TAX", name = "税务局" })).ShouldBeAsync(HttpStatusCode.Created);
        await (await M.PostAsJsonAsync("/api/staff", new { id = "tax-boss", name = "税务局长", departmentCode = "TAX" })).ShouldBeAsync(HttpStatusCode.Created);
        await (await M.PostAsJsonAsync("/api/matters", HallSeed.MatterBody("TAX-1", 1,
            [new { code = "form", name = "申请书", mandatory = true, deferrable = false }], departmentCode: "TAX"))).ShouldBeAsync(HttpStatusCode.Created);
        var before = await _hall.AcceptedCaseAsync("TAX-1");
        var boss = _hall.Leader("tax-boss", "TAX");
        var signature = new { tier = "approver", opinion = "approve", comment = "同意", onSite = true };
        await (await _hall.CommandAsync(boss, before.Id, "signatures", signature)).ShouldBeRefusedAsync("no-authority");

        var assigned = await M.PutAsJsonAsync("/api/departments/TAX/leader", new { staffId = "tax-boss" });

        await assigned.ShouldBeAsync(HttpStatusCode.OK);
        (await assigned.ReadJsonAsync())["version"]!.GetValue<int>().ShouldBe(2);
        await (await _hall.CommandAsync(boss, before.Id, "signatures", signature)).ShouldBeAsync(HttpStatusCode.OK);
        (await _hall.ViewAsync(before.Id))["signatures"]![0]!["asLeader"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Assigning_the_leader_of_an_unknown_department_is_a_404()
    {
        (await M.PutAsJsonAsync("/api/departments/NOPE/leader", new { staffId = "market-h1" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Windows_of_each_kind_are_opened_once()
    {
        await (await M.PostAsJsonAsync("/api/windows", new { code = "ZH-09", name = "综合窗口九", kind = "comprehensive" })).ShouldBeAsync(HttpStatusCode.Created);
        await (await M.PostAsJsonAsync("/api/windows", new { code = "FEE-09", name = "收费窗口", kind = "fee", departmentCode = "HALL", staffA = "cashier-1" })).ShouldBeAsync(HttpStatusCode.Created);
        var department = await M.PostAsJsonAsync("/api/windows", new { code = "ENV-09", name = "环保窗口", kind = "department", departmentCode = "ENV", staffA = "env-h1", staffB = "env-lead" });

        await department.ShouldBeAsync(HttpStatusCode.Created);
        department.Headers.Location!.ToString().ShouldBe("/api/windows/ENV-09");
        (await M.PostAsJsonAsync("/api/windows", new { code = "ENV-09", name = "again", kind = "comprehensive" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Staff_are_registered_once_in_an_existing_department_and_window()
    {
        var registered = await M.PostAsJsonAsync("/api/staff", new { id = "clerk-9", name = "新受理员", departmentCode = "HALL", windowCode = "ZH-01" });

        await registered.ShouldBeAsync(HttpStatusCode.Created);
        registered.Headers.Location!.ToString().ShouldBe("/api/staff/clerk-9");
        (await M.PostAsJsonAsync("/api/staff", new { id = "clerk-9", name = "again", departmentCode = "HALL" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_delegation_is_granted_and_revoked_once()
    {
        var granted = await M.PostAsJsonAsync("/api/delegations", new
        {
            staffId = "market-h2", departmentCode = "MARKET", matterCodes = new[] { "T1", "T2" }, tiers = new[] { "approver" },
            validFrom = "2026-03-01", validTo = "2026-06-30",
        });

        await granted.ShouldBeAsync(HttpStatusCode.Created);
        var body = await granted.ReadJsonAsync();
        var id = body.Str("delegationId");
        body.Str("id").ShouldBe(id);
        body["version"]!.GetValue<int>().ShouldBe(1);
        granted.Headers.Location!.ToString().ShouldBe($"/api/delegations/{id}");
        var c = await _hall.AcceptedCaseAsync("T1");
        await (await _hall.SignAsync(c.Id, "market-h2", "approver")).ShouldBeAsync(HttpStatusCode.OK);

        await (await M.PostAsJsonAsync($"/api/delegations/{id}/revocation", new { reason = "" })).ShouldBeRefusedAsync("reason-required");
        var revoked = await M.PostAsJsonAsync($"/api/delegations/{id}/revocation", new { reason = "授权调整" });
        await revoked.ShouldBeAsync(HttpStatusCode.OK);
        (await revoked.ReadJsonAsync())["version"]!.GetValue<int>().ShouldBe(2);
        var again = await M.PostAsJsonAsync($"/api/delegations/{id}/revocation", new { reason = "授权调整" });
        await again.ShouldBeAsync(HttpStatusCode.OK);
        (await _hall.StreamVersionAsync($"delegation-{id}")).ShouldBe(2);

        var after = await _hall.AcceptedCaseAsync("T1");
        await (await _hall.SignAsync(after.Id, "market-h2", "approver")).ShouldBeRefusedAsync("no-authority");
    }

    [Fact]
    public async Task Revoking_an_unknown_delegation_is_a_404()
    {
        (await M.PostAsJsonAsync("/api/delegations/nope/revocation", new { reason = "x" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_calendar_of_a_year_is_set_and_read_by_anyone()
    {
        var set = await M.PutAsJsonAsync("/api/calendar/2027", new { holidays = new[] { "2027-01-01", "2027-02-08" }, workdays = new[] { "2027-02-06" } });

        await set.ShouldBeAsync(HttpStatusCode.OK);
        var calendar = await (await _hall.Anonymous.GetAsync("/api/calendar/2027")).ReadJsonAsync();
        calendar["year"]!.GetValue<int>().ShouldBe(2027);
        calendar["holidays"]!.AsArray().Select(d => d!.GetValue<string>()).ShouldBe(["2027-01-01", "2027-02-08"]);
        calendar["workdays"]!.AsArray().Select(d => d!.GetValue<string>()).ShouldBe(["2027-02-06"]);

        // Setting it again replaces it.
        await (await M.PutAsJsonAsync("/api/calendar/2027", new { holidays = new[] { "2027-01-01" } })).ShouldBeAsync(HttpStatusCode.OK);
        var replaced = await (await _hall.Anonymous.GetAsync("/api/calendar/2027")).ReadJsonAsync();
        replaced["holidays"]!.AsArray().Count.ShouldBe(1);
        replaced["workdays"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task The_2026_calendar_holds_the_State_Council_notice_and_drives_deadlines()
    {
        var calendar = await (await _hall.Anonymous.GetAsync("/api/calendar/2026")).ReadJsonAsync();

        calendar["holidays"]!.AsArray().Count.ShouldBe(DemoData.Holidays2026.Length);
        calendar["workdays"]!.AsArray().Select(d => d!.GetValue<string>()).ShouldContain("2026-02-14");

        // Accepted Thursday 30 April: the 10th working day after skips 1–5 May and counts Saturday 9 May.
        await _hall.SetClockAsync(Hall.At(4, 30, 10));
        var c = await _hall.AcceptedCaseAsync("T1");
        (await _hall.ViewAsync(c.Id)).Str("promisedDeadline").ShouldBe("2026-05-18");
    }

    [Fact]
    public async Task A_year_without_a_calendar_reads_empty()
    {
        var calendar = await (await _hall.Anonymous.GetAsync("/api/calendar/2031")).ReadJsonAsync();

        calendar["holidays"]!.AsArray().ShouldBeEmpty();
        calendar["workdays"]!.AsArray().ShouldBeEmpty();
    }

    public static TheoryData<string, string, object> ManagerOnly() => new()
    {
        { "POST", "/api/departments", new { code = "X1", name = "x" } },
        { "PUT", "/api/departments/MARKET/leader", new { staffId = "market-h1" } },
        { "POST", "/api/windows", new { code = "X1", name = "x", kind = "comprehensive" } },
        { "POST", "/api/staff", new { id = "x1", name = "x", departmentCode = "HALL" } },
        { "POST", "/api/delegations", new { staffId = "market-h1", departmentCode = "MARKET", matterCodes = new[] { "*" }, tiers = new[] { "approver" }, validFrom = "2026-01-01", validTo = "2026-12-31" } },
        { "PUT", "/api/calendar/2026", new { holidays = Array.Empty<string>() } },
    };

    [Theory]
    [MemberData(nameof(ManagerOnly))]
    public async Task Only_the_manager_changes_the_organisation_and_the_calendar(string method, string path, object body)
    {
        var before = (await api.Store.ReadAllAsync(0, 100_000)).Count;
        HttpRequestMessage Request() => new(new HttpMethod(method), path) { Content = JsonContent.Create(body) };

        (await _hall.Anonymous.SendAsync(Request())).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        foreach (var client in new[] { _hall.Clerk, _hall.Handler(), _hall.Leader("market-lead", "MARKET"), _hall.Inspector, _hall.Auditor, _hall.Applicant(), _hall.Agent() })
            (await client.SendAsync(Request())).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        (await api.Store.ReadAllAsync(0, 100_000)).Count.ShouldBe(before);
    }
}
