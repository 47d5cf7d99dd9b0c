using System.Net;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Cases;

/// <summary>
/// What time does on its own (POST /api/dev/sweep at the dev clock): deemed acceptance (ALL art. 32),
/// overdue 容缺 materials and post-checks — each recorded once, by the system.
/// </summary>
public sealed class TimeDrivenTests(HallHost api) : IClassFixture<HallHost>, IDisposable
{
    private readonly Hall _hall = api.Hall;

    public void Dispose() => api.Clock.Set(ApiHost.Start);

    private async Task<string[]> EventTypesAsync(string caseId) =>
        [.. (await (await _hall.Clerk.GetAsync($"/api/cases/{caseId}/history")).ReadJsonAsync()).AsArray().Select(e => e.Str("type"))];

    [Fact]
    public async Task An_unanswered_application_is_deemed_accepted_on_the_sixth_working_day_across_the_Spring_Festival_and_not_on_the_fifth()
    {
        // Received Thursday 12 February. Working days after it: 13 Feb (Fri), 14 Feb (a worked Saturday, 调休),
        // then the Spring Festival holiday 15–23 Feb, then 24, 25 and 26 Feb: the fifth is 26 Feb.
        await _hall.SetClockAsync(Hall.At(2, 12, 10));
        var c = await _hall.SubmitAsync("T1");

        await _hall.SetClockAsync(Hall.At(2, 26, 23, 30));
        await _hall.SweepAsync();
        (await _hall.ViewAsync(c.Id)).Str("status").ShouldBe("submitted");
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(1);

        await _hall.SetClockAsync(Hall.At(2, 27, 8, 30));
        await _hall.SweepAsync();

        var view = await _hall.ViewAsync(c.Id);
        view.Str("status").ShouldBe("accepted");
        view["deemedAccepted"]!.GetValue<bool>().ShouldBeTrue();
        // Effective from the day of receipt: 10 working days after 12 Feb is 4 March, 20 is 18 March.
        view.Str("promisedDeadline").ShouldBe("2026-03-04");
        view.Str("statutoryDeadline").ShouldBe("2026-03-18");
        // acceptedAt is the receipt, not the moment the system recorded the deemed acceptance.
        view["acceptedAt"]!.GetValue<DateTimeOffset>().ShouldBe(Hall.At(2, 12, 10));
        var history = (await (await _hall.Clerk.GetAsync($"/api/cases/{c.Id}/history")).ReadJsonAsync()).AsArray();
        var deemed = history.Last()!;
        deemed.Str("type").ShouldBe("case_deemed_accepted");
        deemed["data"]!.Str("effectiveDate").ShouldBe("2026-02-12");
        deemed["metadata"]!.Str("actorKind").ShouldBe("system");

        await _hall.SweepAsync();
        await _hall.SetClockAsync(Hall.At(3, 2, 9));
        await _hall.SweepAsync();
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(2);
    }

    [Fact]
    public async Task An_application_answered_in_time_is_not_deemed_accepted()
    {
        await _hall.SetClockAsync(Hall.At(2, 12, 10));
        var supplementing = await _hall.SubmitAsync("T3", ["form"]);
        await (await _hall.CommandAsync(_hall.Clerk, supplementing.Id, "supplement-requests", new { materials = new[] { "plan" }, note = "" }))
            .ShouldBeAsync(HttpStatusCode.OK);
        var accepted = await _hall.AcceptedCaseAsync("T1");

        await _hall.SetClockAsync(Hall.At(2, 27, 9));
        await _hall.SweepAsync();

        (await _hall.ViewAsync(supplementing.Id)).Str("status").ShouldBe("supplementing");
        (await _hall.ViewAsync(accepted.Id))["deemedAccepted"]!.GetValue<bool>().ShouldBeFalse();
        (await _hall.StreamVersionAsync(accepted.Id)).ShouldBe(2);
    }

    [Fact]
    public async Task After_a_completing_supplement_the_acceptance_window_starts_again()
    {
        var c = await _hall.SubmitAsync("T3", ["form"]);
        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "supplement-requests", new { materials = new[] { "plan" }, note = "" })).ShouldBeAsync(HttpStatusCode.OK);
        await _hall.SetClockAsync(Hall.At(3, 6, 10));
        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "supplements", new { materials = new[] { "plan" } })).ShouldBeAsync(HttpStatusCode.OK);

        // Five working days after Friday 6 March is Friday 13 March.
        await _hall.SetClockAsync(Hall.At(3, 13, 20));
        await _hall.SweepAsync();
        (await _hall.ViewAsync(c.Id)).Str("status").ShouldBe("submitted");
        await _hall.SetClockAsync(Hall.At(3, 16, 9));
        await _hall.SweepAsync();

        var view = await _hall.ViewAsync(c.Id);
        view.Str("status").ShouldBe("accepted");
        view["deemedAccepted"]!.GetValue<bool>().ShouldBeTrue();
        view.Str("promisedDeadline").ShouldBe("2026-03-20");
    }

    [Fact]
    public async Task A_deferred_material_not_delivered_by_its_due_date_is_recorded_once()
    {
        var late = await _hall.SubmitAsync("T3", ["form"]);
        await _hall.AcceptAsync(late.Id, new { deferred = new[] { new { material = "plan", dueDate = "2026-03-06" } } });
        var delivered = await _hall.SubmitAsync("T3", ["form"]);
        await _hall.AcceptAsync(delivered.Id, new { deferred = new[] { new { material = "plan", dueDate = "2026-03-06" } } });
        await (await _hall.CommandAsync(_hall.Clerk, delivered.Id, "supplements", new { materials = new[] { "plan" } })).ShouldBeAsync(HttpStatusCode.OK);

        await _hall.SetClockAsync(Hall.At(3, 6, 22));
        await _hall.SweepAsync();
        (await EventTypesAsync(late.Id)).ShouldNotContain("deferred_material_overdue");

        await _hall.SetClockAsync(Hall.At(3, 9, 9));
        await _hall.SweepAsync();
        await _hall.SweepAsync();

        (await EventTypesAsync(late.Id)).Count(t => t == "deferred_material_overdue").ShouldBe(1);
        (await EventTypesAsync(delivered.Id)).ShouldNotContain("deferred_material_overdue");
    }

    [Fact]
    public async Task A_post_check_not_done_by_its_due_date_is_recorded_once()
    {
        var c = await _hall.SubmitAsync("COMMIT", commitmentSigned: true);
        await _hall.AcceptAsync(c.Id);

        await _hall.SetClockAsync(Hall.At(3, 31, 9));
        await _hall.SweepAsync();
        await _hall.SweepAsync();

        (await EventTypesAsync(c.Id)).Count(t => t == "post_check_overdue").ShouldBe(1);
        // Still possible afterwards.
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "post-check", new { outcome = "confirmed", note = "迟到的核查" })).ShouldBeAsync(HttpStatusCode.OK);
    }
}
