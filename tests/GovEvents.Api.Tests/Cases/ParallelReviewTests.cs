using System.Net;
using System.Text.Json.Nodes;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Cases;

/// <summary>并联审批: participants' opinions, joint meetings, deemed consent by timeout or absence, the lead's decision.</summary>
public sealed class ParallelReviewTests(HallHost api) : IClassFixture<HallHost>, IDisposable
{
    private readonly Hall _hall = api.Hall;

    public void Dispose() => api.Clock.Set(ApiHost.Start);

    private static JsonNode Participant(JsonNode view, string department) =>
        view["parallelReview"]!["participants"]!.AsArray().Single(p => p.Str("departmentCode") == department)!;

    private HttpClient Staff(string department) => _hall.Handler($"{department.ToLowerInvariant()}-h1", department);

    [Fact]
    public async Task A_participant_timing_out_and_one_absent_from_the_meeting_are_deemed_to_consent()
    {
        var c = await _hall.AcceptedCaseAsync("PARALLEL");

        var started = await _hall.CommandAsync(_hall.Handler(), c.Id, "parallel-review");
        await started.ShouldBeAsync(HttpStatusCode.OK);
        (await started.ReadJsonAsync()).Str("status").ShouldBe("parallel-review");
        var view = await _hall.ViewAsync(c.Id);
        view["parallelReview"]!.Str("leadDepartmentCode").ShouldBe("MARKET");
        // Five working days after Monday 2 March.
        view["parallelReview"]!["participants"]!.AsArray().Select(p => (p.Str("departmentCode"), p.Str("dueDate")))
            .ShouldBe([("FIRE", "2026-03-09"), ("ENV", "2026-03-09")], ignoreOrder: true);
        await (await _hall.SignAsync(c.Id, "market-a1", "approver")).ShouldBeRefusedAsync("parallel-review-pending");

        // FIRE stays away from the joint meeting: 缺席默认.
        await _hall.SetClockAsync(Hall.At(3, 3, 10));
        var meeting = await _hall.CommandAsync(_hall.Leader("market-lead", "MARKET"), c.Id, "parallel-review/meetings",
            new { heldAt = Hall.At(3, 3, 9), attendees = new[] { "ENV" } });
        await meeting.ShouldBeAsync(HttpStatusCode.OK);
        var fire = Participant(await _hall.ViewAsync(c.Id), "FIRE");
        fire.Str("opinion").ShouldBe("agree");
        fire["deemed"]!.GetValue<bool>().ShouldBeTrue();

        // ENV attended but gives no opinion; on its due date nothing happens yet.
        await _hall.SetClockAsync(Hall.At(3, 9, 18));
        await _hall.SweepAsync();
        Participant(await _hall.ViewAsync(c.Id), "ENV")["opinion"].ShouldBeNull();
        var before = await _hall.StreamVersionAsync(c.Id);

        // The day after its due date: 超时默认.
        await _hall.SetClockAsync(Hall.At(3, 10, 9));
        await _hall.SweepAsync();
        var deemed = await _hall.ViewAsync(c.Id);
        var env = Participant(deemed, "ENV");
        env.Str("opinion").ShouldBe("agree");
        env["deemed"]!.GetValue<bool>().ShouldBeTrue();
        deemed.Str("status").ShouldBe("in-review");
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(before + 1);
        var history = (await (await _hall.Clerk.GetAsync($"/api/cases/{c.Id}/history")).ReadJsonAsync()).AsArray();
        var timeout = history.Last()!;
        timeout.Str("type").ShouldBe("parallel_consent_deemed");
        timeout["data"]!.Str("cause").ShouldBe("timeout");
        timeout["metadata"]!.Str("actorKind").ShouldBe("system");
        history.Single(e => e.Str("type") == "parallel_consent_deemed" && e!["data"]!.Str("departmentCode") == "FIRE")!["data"]!.Str("cause").ShouldBe("absence");

        await _hall.SweepAsync();
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(before + 1);

        await (await _hall.SignAsync(c.Id, "market-a1", "approver")).ShouldBeAsync(HttpStatusCode.OK);
        (await _hall.ViewAsync(c.Id)).Str("status").ShouldBe("approved");
    }

    [Fact]
    public async Task Participants_give_their_opinions_and_then_the_lead_decides()
    {
        var c = await _hall.AcceptedCaseAsync("PARALLEL");
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "parallel-review", new { participants = new[] { "FIRE" }, opinionDays = 3 }))
            .ShouldBeAsync(HttpStatusCode.OK);
        Participant(await _hall.ViewAsync(c.Id), "FIRE").Str("dueDate").ShouldBe("2026-03-05");

        var opinion = await _hall.CommandAsync(Staff("FIRE"), c.Id, "parallel-review/opinions",
            new { departmentCode = "FIRE", opinion = "conditional", comment = "需设置消防通道" });

        await opinion.ShouldBeAsync(HttpStatusCode.OK);
        var view = await _hall.ViewAsync(c.Id);
        view["parallelReview"]!["participants"]!.AsArray().Count.ShouldBe(1);
        Participant(view, "FIRE").Str("opinion").ShouldBe("conditional");
        Participant(view, "FIRE")["deemed"]!.GetValue<bool>().ShouldBeFalse();
        view.Str("status").ShouldBe("in-review");
        await (await _hall.SignAsync(c.Id, "market-a1", "approver")).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.CommandAsync(Staff("FIRE"), c.Id, "parallel-review/opinions", new { departmentCode = "FIRE", opinion = "agree", comment = "" }))
            .ShouldBeRefusedAsync("already-decided");
        await (await _hall.CommandAsync(_hall.Manager, c.Id, "parallel-review/meetings", new { heldAt = Hall.At(3, 2), attendees = new[] { "FIRE" } }))
            .ShouldBeRefusedAsync("already-decided");

        // An answered participant is not deemed later.
        await _hall.SetClockAsync(Hall.At(3, 9));
        var version = await _hall.StreamVersionAsync(c.Id);
        await _hall.SweepAsync();
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(version);
    }

    [Fact]
    public async Task Opinions_are_refused_from_outsiders_twice_or_from_another_departments_staff()
    {
        var c = await _hall.AcceptedCaseAsync("PARALLEL");
        await (await _hall.CommandAsync(Staff("FIRE"), c.Id, "parallel-review/opinions",
            new { departmentCode = "FIRE", opinion = "agree", comment = "" })).ShouldBeRefusedAsync("invalid-state");
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "parallel-review")).ShouldBeAsync(HttpStatusCode.OK);
        var version = await _hall.StreamVersionAsync(c.Id);

        await (await _hall.CommandAsync(_hall.Handler("hall-lead", "HALL"), c.Id, "parallel-review/opinions",
            new { departmentCode = "HALL", opinion = "agree", comment = "" })).ShouldBeRefusedAsync("participant-unknown");
        (await _hall.CommandAsync(Staff("ENV"), c.Id, "parallel-review/opinions",
            new { departmentCode = "FIRE", opinion = "agree", comment = "" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await (await _hall.CommandAsync(Staff("FIRE"), c.Id, "parallel-review/opinions",
            new { departmentCode = "FIRE", opinion = "whatever", comment = "" })).ShouldBeInvalidAsync();
        await (await _hall.CommandAsync(Staff("FIRE"), c.Id, "parallel-review/opinions", new { opinion = "agree" })).ShouldBeInvalidAsync("departmentCode");
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(version);

        await (await _hall.CommandAsync(Staff("FIRE"), c.Id, "parallel-review/opinions",
            new { departmentCode = "FIRE", opinion = "disagree", comment = "不符合消防规范" })).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.CommandAsync(Staff("FIRE"), c.Id, "parallel-review/opinions",
            new { departmentCode = "FIRE", opinion = "agree", comment = "" })).ShouldBeRefusedAsync("opinion-exists");
    }

    [Fact]
    public async Task Parallel_review_starts_once_on_an_accepted_case()
    {
        var submitted = await _hall.SubmitAsync("PARALLEL");
        await (await _hall.CommandAsync(_hall.Handler(), submitted.Id, "parallel-review")).ShouldBeRefusedAsync("invalid-state");

        var c = await _hall.AcceptedCaseAsync("PARALLEL");
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "parallel-review")).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "parallel-review")).ShouldBeRefusedAsync("parallel-review-exists");

        // A matter without participants needs them named.
        var plain = await _hall.AcceptedCaseAsync("T1");
        await (await _hall.CommandAsync(_hall.Handler(), plain.Id, "parallel-review")).ShouldBeRefusedAsync("participants-required");
        await (await _hall.CommandAsync(_hall.Handler(), plain.Id, "parallel-review", new { participants = new[] { "ENV" } })).ShouldBeAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_joint_meeting_needs_its_time_and_attendees()
    {
        var c = await _hall.AcceptedCaseAsync("PARALLEL");
        var leader = _hall.Leader("market-lead", "MARKET");
        await (await _hall.CommandAsync(leader, c.Id, "parallel-review/meetings", new { heldAt = Hall.At(3, 2), attendees = new[] { "FIRE" } }))
            .ShouldBeRefusedAsync("invalid-state");
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "parallel-review")).ShouldBeAsync(HttpStatusCode.OK);

        await (await _hall.CommandAsync(leader, c.Id, "parallel-review/meetings", new { attendees = new[] { "FIRE" } })).ShouldBeInvalidAsync("heldAt");
        await (await _hall.CommandAsync(leader, c.Id, "parallel-review/meetings", new { heldAt = Hall.At(3, 2) })).ShouldBeInvalidAsync("attendees");
        await (await _hall.CommandAsync(_hall.Manager, c.Id, "parallel-review/meetings", new { heldAt = Hall.At(3, 2), attendees = new[] { "FIRE", "ENV" } }))
            .ShouldBeAsync(HttpStatusCode.OK);
        (await _hall.ViewAsync(c.Id))["parallelReview"]!["participants"]!.AsArray().ShouldAllBe(p => p!["opinion"] == null);
    }

    [Fact]
    public async Task A_stop_during_parallel_review_returns_to_it_and_a_denial_also_waits_for_the_participants()
    {
        var c = await _hall.AcceptedCaseAsync("PARALLEL");
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "parallel-review")).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.SignAsync(c.Id, "market-a1", "approver", "deny", reason: "不符合规划", legalBasis: "《城乡规划法》"))
            .ShouldBeRefusedAsync("parallel-review-pending");

        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "suspensions", new { reason = "appraisal", expectedDays = 3, approvedBy = "局长", note = "" }))
            .ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.CommandAsync(Staff("FIRE"), c.Id, "parallel-review/opinions", new { departmentCode = "FIRE", opinion = "agree", comment = "" }))
            .ShouldBeAsync(HttpStatusCode.OK);
        (await _hall.ViewAsync(c.Id)).Str("status").ShouldBe("suspended");
        var resumed = await _hall.CommandAsync(_hall.Handler(), c.Id, "resumption");

        await resumed.ShouldBeAsync(HttpStatusCode.OK);
        (await resumed.ReadJsonAsync()).Str("status").ShouldBe("parallel-review");
        (await _hall.ViewAsync(c.Id)).Str("status").ShouldBe("parallel-review");
        await (await _hall.CommandAsync(Staff("ENV"), c.Id, "parallel-review/opinions", new { departmentCode = "ENV", opinion = "agree", comment = "" }))
            .ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.SignAsync(c.Id, "market-a1", "approver", "deny", reason: "不符合规划", legalBasis: "《城乡规划法》"))
            .ShouldBeAsync(HttpStatusCode.OK);
        (await _hall.ViewAsync(c.Id)).Str("status").ShouldBe("denied");
    }

    [Fact]
    public async Task Parallel_review_with_a_department_the_hall_does_not_have_is_a_400()
    {
        var c = await _hall.AcceptedCaseAsync("T1");

        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "parallel-review", new { participants = new[] { "FIRE", "NOPE" } }))
            .ShouldBeInvalidAsync("participants");
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "parallel-review", new { participants = new[] { "FIRE" }, opinionDays = 0 }))
            .ShouldBeInvalidAsync("opinionDays");

        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(2);
    }
}
