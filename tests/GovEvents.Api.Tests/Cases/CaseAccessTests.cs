using System.Net;
using System.Net.Http.Json;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Tests.Infrastructure;
using GovEvents.Domain.Cases;
using GovEvents.Store;
using Shouldly;

namespace GovEvents.Api.Tests.Cases;

/// <summary>
/// API.md "Who may call what" for the case, organisation and catalogue commands: 401 without a
/// token, 403 for every role outside the row (inspectors and auditors never write), and the
/// applicant's and agent's view limited to their own cases (404 otherwise).
/// </summary>
public sealed class CaseAccessTests(HallHost api) : IClassFixture<HallHost>
{
    private readonly Hall _hall = api.Hall;

    private static readonly string[] AllRoles =
        [Roles.Applicant, Roles.Clerk, Roles.Handler, Roles.Reviewer, Roles.Approver, Roles.Leader, Roles.Agent,
         Roles.Cashier, Roles.Manager, Roles.Auditor, Roles.Inspector];

    private static readonly string[] Intake = [Roles.Applicant, Roles.Agent, Roles.Clerk];
    private static readonly string[] Reception = [Roles.Clerk, Roles.Handler];
    private static readonly string[] Review = [Roles.Handler, Roles.Reviewer, Roles.Approver, Roles.Leader];
    private static readonly string[] Meetings = [Roles.Manager, Roles.Leader];
    private static readonly string[] Manager = [Roles.Manager];

    public static TheoryData<string, string, string> Commands()
    {
        var data = new TheoryData<string, string, string>();
        void Row(string method, string path, string[] roles) => data.Add(method, path, string.Join(',', roles));
        const string c = "/api/cases/00000000-0000-0000-0000-000000000000";
        Row("POST", "/api/cases", Intake);
        Row("POST", $"{c}/supplements", Intake);
        Row("POST", $"{c}/withdrawal", Intake);
        Row("POST", $"{c}/supplement-requests", Reception);
        Row("POST", $"{c}/acceptance", Reception);
        Row("POST", $"{c}/non-acceptance", Reception);
        Row("POST", $"{c}/transfer", Reception);
        Row("POST", $"{c}/licence", Reception);
        Row("POST", $"{c}/delivery", Reception);
        Row("POST", $"{c}/signatures", Review);
        Row("POST", $"{c}/parallel-review", Review);
        Row("POST", $"{c}/parallel-review/opinions", Review);
        Row("POST", $"{c}/suspensions", Review);
        Row("POST", $"{c}/resumption", Review);
        Row("POST", $"{c}/extension", Review);
        Row("POST", $"{c}/post-check", Review);
        Row("POST", $"{c}/parallel-review/meetings", Meetings);
        Row("POST", "/api/departments", Manager);
        Row("PUT", "/api/departments/NOPE/leader", Manager);
        Row("POST", "/api/windows", Manager);
        Row("POST", "/api/staff", Manager);
        Row("POST", "/api/delegations", Manager);
        Row("POST", "/api/delegations/nope/revocation", Manager);
        Row("PUT", "/api/calendar/2027", Manager);
        Row("POST", "/api/matters", Manager);
        Row("PUT", "/api/matters/NOPE", Manager);
        Row("POST", "/api/matters/NOPE/revocation", Manager);
        return data;
    }

    private static HttpRequestMessage Request(string method, string path) =>
        new(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task A_command_without_a_token_is_a_401(string method, string path, string _)
    {
        var response = await _hall.Anonymous.SendAsync(Request(method, path));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task A_command_is_a_403_for_every_role_outside_its_row_and_passes_for_the_roles_in_it(string method, string path, string allowed)
    {
        var admitted = allowed.Split(',');
        foreach (var role in AllRoles)
        {
            var response = await _hall.As($"someone-{role}", [role], "MARKET").SendAsync(Request(method, path));
            if (admitted.Contains(role))
                response.StatusCode.ShouldNotBeOneOf([HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden], $"{role} may {method} {path}");
            else
                response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, $"{role} may not {method} {path}");
        }
    }

    [Fact]
    public async Task A_forbidden_command_appends_nothing()
    {
        var c = await _hall.SubmitAsync("T1");

        foreach (var role in new[] { Roles.Inspector, Roles.Auditor, Roles.Cashier, Roles.Applicant })
            (await _hall.CommandAsync(_hall.As($"x-{role}", [role], "MARKET"), c.Id, "acceptance")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // Inspectors and auditors never write case data, even on a token that also names a clerk.
        foreach (var supervisor in new[] { Roles.Inspector, Roles.Auditor })
            (await _hall.CommandAsync(_hall.As($"x-{supervisor}-clerk", [supervisor, Roles.Clerk], "MARKET"), c.Id, "acceptance")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(1);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/history")]
    [InlineData("/state")]
    public async Task Every_staff_reader_reads_a_case_and_nobody_without_a_token(string read)
    {
        var c = await _hall.SubmitAsync("T1");

        foreach (var role in new[] { Roles.Clerk, Roles.Handler, Roles.Reviewer, Roles.Approver, Roles.Leader, Roles.Cashier, Roles.Manager, Roles.Inspector, Roles.Auditor })
            await (await _hall.As($"reader-{role}", [role]).GetAsync($"/api/cases/{c.Id}{read}")).ShouldBeAsync(HttpStatusCode.OK);
        (await _hall.Anonymous.GetAsync($"/api/cases/{c.Id}{read}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/history")]
    [InlineData("/state")]
    public async Task An_applicant_reads_their_own_case_and_another_applicants_case_is_a_404(string read)
    {
        var owner = _hall.Applicant("applicant-owner");
        var c = await _hall.SubmitAsync("T1", by: owner, channel: "online");

        await (await owner.GetAsync($"/api/cases/{c.Id}{read}")).ShouldBeAsync(HttpStatusCode.OK);
        var other = await _hall.Applicant("applicant-other").GetAsync($"/api/cases/{c.Id}{read}");
        other.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        other.MediaType().ShouldBe("application/problem+json");
        (await _hall.Agent("agent-unrelated").GetAsync($"/api/cases/{c.Id}{read}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_applicant_acts_only_on_their_own_case()
    {
        var owner = _hall.Applicant("applicant-acts");
        var c = await _hall.SubmitAsync("T1", by: owner, channel: "online");

        (await _hall.CommandAsync(_hall.Applicant("applicant-intruder"), c.Id, "withdrawal", new { reason = "x" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task An_agent_sees_the_cases_they_act_for_and_only_those()
    {
        var agent = _hall.Agent("agent-sees");
        var submittedByAgent = await _hall.SubmitAsync("T1", by: agent);
        var namedByClerk = await _hall.SubmitAsync("T1", agentStaffId: "agent-sees");
        var namedByApplicant = await _hall.SubmitAsync("T1", by: _hall.Applicant("applicant-with-agent"), channel: "online", agentStaffId: "agent-sees");
        var unrelated = await _hall.SubmitAsync("T1");

        foreach (var c in new[] { submittedByAgent, namedByClerk, namedByApplicant })
            await (await agent.GetAsync($"/api/cases/{c.Id}")).ShouldBeAsync(HttpStatusCode.OK);
        (await agent.GetAsync($"/api/cases/{unrelated.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        await _hall.CaughtUpAsync();
        var queue = await (await agent.GetAsync("/api/cases?pageSize=500")).ReadJsonAsync();
        queue["items"]!.AsArray().Select(i => i.Str("id"))
            .ShouldBe([submittedByAgent.Id, namedByClerk.Id, namedByApplicant.Id], ignoreOrder: true);
        queue["total"]!.GetValue<int>().ShouldBe(3);
    }

    [Fact]
    public async Task An_applicant_token_carrying_a_staff_id_sees_and_touches_none_of_that_staff_members_cases()
    {
        var atWindow = await _hall.SubmitAsync("T1");                              // by clerk-1
        var byAgent = await _hall.SubmitAsync("T1", by: _hall.Agent("agent-twin")); // by an agent
        await _hall.CaughtUpAsync();

        foreach (var (impostor, c) in new[] { (_hall.Applicant(Hall.ClerkId), atWindow), (_hall.Applicant("agent-twin"), byAgent) })
        {
            foreach (var read in new[] { "", "/history", "/state" })
                (await impostor.GetAsync($"/api/cases/{c.Id}{read}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await (await impostor.GetAsync("/api/cases?pageSize=500")).ReadJsonAsync())["total"]!.GetValue<int>().ShouldBe(0);
            (await _hall.CommandAsync(impostor, c.Id, "withdrawal", new { reason = "not mine" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await _hall.StreamVersionAsync(c.Id)).ShouldBe(1);
        }
    }

    [Fact]
    public async Task A_window_submission_recorded_with_the_clerk_as_submitter_is_not_the_clerk_namesakes_as_applicant()
    {
        // Before submitters were told apart by kind, a window submission recorded the clerk's id as its submitter.
        var template = (CaseSubmitted)(await api.Store.FetchStreamAsync((await _hall.SubmitAsync("T1")).Id)).Single().Data;
        var id = Guid.CreateVersion7().ToString();
        using (EventContext.Use(new EventMetadata { ActorId = "clerk-9", ActorKind = ActorKind.Staff }))
            await api.Store.StartStreamAsync(id, [template with { CaseId = id, CaseNumber = "2026990001", SubmittedBy = "clerk-9" }]);
        await _hall.CaughtUpAsync();
        var impostor = _hall.Applicant("clerk-9");

        (await impostor.GetAsync($"/api/cases/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await impostor.GetAsync("/api/cases")).ReadJsonAsync())["total"]!.GetValue<int>().ShouldBe(0);
        (await _hall.CommandAsync(impostor, id, "withdrawal", new { reason = "not mine" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _hall.StreamVersionAsync(id)).ShouldBe(1);
    }

    [Fact]
    public async Task The_work_queue_of_an_applicant_lists_only_their_own_cases()
    {
        var applicant = _hall.Applicant("applicant-queue");
        var own = await _hall.SubmitAsync("T1", by: applicant, channel: "mobile");
        await _hall.SubmitAsync("T1", by: _hall.Applicant("applicant-neighbour"), channel: "online");

        await _hall.CaughtUpAsync();
        var queue = await (await applicant.GetAsync("/api/cases")).ReadJsonAsync();

        queue["items"]!.AsArray().Select(i => i.Str("id")).ShouldBe([own.Id]);
    }
}
