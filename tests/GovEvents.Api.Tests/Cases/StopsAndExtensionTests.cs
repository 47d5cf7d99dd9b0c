using System.Net;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Cases;

/// <summary>Clock stops (特别程序, ALL art. 45 and the matter's own) with resumption, and the one extension (ALL art. 42).</summary>
public sealed class StopsAndExtensionTests(HallHost api) : IClassFixture<HallHost>, IDisposable
{
    private readonly Hall _hall = api.Hall;

    public void Dispose() => api.Clock.Set(ApiHost.Start);

    private static object Stop(string reason, int expectedDays = 5, string? approvedBy = "分管副局长") =>
        new { reason, expectedDays, approvedBy, note = "书面告知申请人" };

    [Fact]
    public async Task A_stop_moves_both_deadlines_by_the_working_days_it_lasted()
    {
        // Accepted Monday 2 March: promised 16 March, statutory 30 March.
        var c = await _hall.AcceptedCaseAsync("T3");
        await (await _hall.SignAsync(c.Id, "market-h1", "handler")).ShouldBeAsync(HttpStatusCode.OK);
        await _hall.SetClockAsync(Hall.At(3, 3, 10));

        var suspended = await _hall.CommandAsync(_hall.Handler(), c.Id, "suspensions", Stop("expert-review"));

        await suspended.ShouldBeAsync(HttpStatusCode.OK);
        (await suspended.ReadJsonAsync()).Str("status").ShouldBe("suspended");
        var stop = (await _hall.ViewAsync(c.Id))["suspensions"]!.AsArray().ShouldHaveSingleItem()!;
        stop.Str("reason").ShouldBe("expert-review");
        stop.Str("reasonName").ShouldBe("专家评审");
        stop.Str("legalBasis").ShouldContain("第四十五条");
        stop.Str("approvedBy").ShouldBe("分管副局长");
        stop["expectedDays"]!.GetValue<int>().ShouldBe(5);
        await (await _hall.SignAsync(c.Id, "market-r1", "reviewer")).ShouldBeRefusedAsync("invalid-state");

        await _hall.SetClockAsync(Hall.At(3, 6, 16));
        var resumed = await _hall.CommandAsync(_hall.Handler(), c.Id, "resumption");

        await resumed.ShouldBeAsync(HttpStatusCode.OK);
        (await resumed.ReadJsonAsync()).Str("status").ShouldBe("in-review");
        var view = await _hall.ViewAsync(c.Id);
        // Stopped 4, 5 and 6 March: three working days on both deadlines.
        view["suspendedDays"]!.GetValue<int>().ShouldBe(3);
        view.Str("promisedDeadline").ShouldBe("2026-03-19");
        view.Str("statutoryDeadline").ShouldBe("2026-04-02");
        view["suspensions"]![0]!["resumedAt"]!.GetValue<DateTimeOffset>().ShouldBe(Hall.At(3, 6, 16));
        view["suspensions"]![0]!["stoppedWorkingDays"]!.GetValue<int>().ShouldBe(3);
        view["workingDaysUsed"]!.GetValue<int>().ShouldBe(1);
        await (await _hall.SignAsync(c.Id, "market-r1", "reviewer")).ShouldBeAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_special_procedure_of_the_matter_stops_the_clock_with_its_own_legal_basis()
    {
        var c = await _hall.AcceptedCaseAsync("T3");

        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "suspensions", Stop("site-inspection", 2))).ShouldBeAsync(HttpStatusCode.OK);
        await _hall.SetClockAsync(Hall.At(3, 4, 9));
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "resumption")).ShouldBeAsync(HttpStatusCode.OK);

        var view = await _hall.ViewAsync(c.Id);
        view.Str("status").ShouldBe("accepted");
        view["suspensions"]![0]!.Str("reasonName").ShouldBe("现场勘察");
        view["suspensions"]![0]!.Str("legalBasis").ShouldBe("《食品经营许可和备案管理办法》第二十一条");
        view["suspendedDays"]!.GetValue<int>().ShouldBe(2);
        view.Str("promisedDeadline").ShouldBe("2026-03-18");
    }

    [Fact]
    public async Task A_special_procedure_whose_time_counts_toward_the_limit_stops_nothing()
    {
        var c = await _hall.AcceptedCaseAsync("T3");

        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "suspensions", Stop("public-notice", 3))).ShouldBeAsync(HttpStatusCode.OK);
        await _hall.SetClockAsync(Hall.At(3, 5, 9));
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "resumption")).ShouldBeAsync(HttpStatusCode.OK);

        var view = await _hall.ViewAsync(c.Id);
        view["suspendedDays"]!.GetValue<int>().ShouldBe(0);
        view.Str("promisedDeadline").ShouldBe("2026-03-16");
        view.Str("statutoryDeadline").ShouldBe("2026-03-30");
    }

    [Fact]
    public async Task A_stop_for_a_reason_neither_in_article_45_nor_of_the_matter_is_refused()
    {
        var c = await _hall.AcceptedCaseAsync("T1");

        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "suspensions", Stop("holiday-trip"))).ShouldBeRefusedAsync("suspension-reason-invalid");
        // site-inspection is T3's special procedure, not T1's.
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "suspensions", Stop("site-inspection"))).ShouldBeRefusedAsync("suspension-reason-invalid");
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(2);
    }

    [Fact]
    public async Task A_stop_states_its_expected_days_and_who_approved_it()
    {
        var c = await _hall.AcceptedCaseAsync("T1");

        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "suspensions", Stop("hearing", approvedBy: null))).ShouldBeInvalidAsync("approvedBy");
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "suspensions", Stop("hearing", expectedDays: 0))).ShouldBeInvalidAsync("expectedDays");
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "suspensions", new { expectedDays = 3, approvedBy = "x" })).ShouldBeInvalidAsync("reason");
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(2);
    }

    [Fact]
    public async Task Stops_and_resumptions_come_in_their_order()
    {
        var submitted = await _hall.SubmitAsync("T1");
        await (await _hall.CommandAsync(_hall.Handler(), submitted.Id, "suspensions", Stop("hearing"))).ShouldBeRefusedAsync("invalid-state");

        var c = await _hall.AcceptedCaseAsync("T1");
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "resumption")).ShouldBeRefusedAsync("invalid-state");
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "suspensions", Stop("testing"))).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "suspensions", Stop("testing"))).ShouldBeRefusedAsync("invalid-state");
    }

    [Fact]
    public async Task An_extension_moves_both_deadlines_across_a_holiday_and_a_second_one_is_refused()
    {
        var c = await _hall.AcceptedCaseAsync("T1");

        var extended = await _hall.CommandAsync(_hall.Handler(), c.Id, "extension", new { days = 5, approvedBy = "局长", reason = "需补充专家论证" });

        await extended.ShouldBeAsync(HttpStatusCode.OK);
        var body = await extended.ReadJsonAsync();
        body.Str("promisedDeadline").ShouldBe("2026-03-23");
        // 30 March + 5 working days, across Qingming (4–6 April).
        body.Str("statutoryDeadline").ShouldBe("2026-04-07");
        var view = await _hall.ViewAsync(c.Id);
        view["extensionDays"]!.GetValue<int>().ShouldBe(5);
        view.Str("statutoryDeadline").ShouldBe("2026-04-07");

        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "extension", new { days = 1, approvedBy = "局长", reason = "再延" }))
            .ShouldBeRefusedAsync("extension-used");
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(3);
    }

    [Fact]
    public async Task An_extension_beyond_ten_working_days_is_refused_but_joint_handling_allows_fifteen()
    {
        var c = await _hall.AcceptedCaseAsync("T1");
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "extension", new { days = 11, approvedBy = "局长", reason = "复杂" }))
            .ShouldBeRefusedAsync("extension-too-long");
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "extension", new { days = 0, approvedBy = "局长", reason = "复杂" }))
            .ShouldBeRefusedAsync("extension-too-long");
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(2);
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "extension", new { days = 10, approvedBy = "局长", reason = "复杂" }))
            .ShouldBeAsync(HttpStatusCode.OK);

        var joint = await _hall.AcceptedCaseAsync("PARALLEL");
        await (await _hall.CommandAsync(_hall.Handler(), joint.Id, "extension", new { days = 16, approvedBy = "市政府", reason = "联合办理" }))
            .ShouldBeRefusedAsync("extension-too-long");
        await (await _hall.CommandAsync(_hall.Handler(), joint.Id, "extension", new { days = 15, approvedBy = "市政府", reason = "联合办理" }))
            .ShouldBeAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_extension_states_its_days_approval_and_reason_and_needs_an_open_case()
    {
        var c = await _hall.AcceptedCaseAsync("T1");

        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "extension", new { approvedBy = "局长", reason = "x" })).ShouldBeInvalidAsync("days");
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "extension", new { days = 3, reason = "x" })).ShouldBeInvalidAsync("approvedBy");
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "extension", new { days = 3, approvedBy = "局长" })).ShouldBeInvalidAsync("reason");
        await (await _hall.SignAsync(c.Id, "market-a1", "approver")).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "extension", new { days = 3, approvedBy = "局长", reason = "x" }))
            .ShouldBeRefusedAsync("already-decided");
    }
}
