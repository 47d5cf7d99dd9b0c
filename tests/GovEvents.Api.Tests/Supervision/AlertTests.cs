using System.Net.Http.Json;
using System.Net;
using System.Text.Json.Nodes;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Supervision;

/// <summary>
/// 预警纠错: GET /api/supervision/alerts and POST /api/supervision/alerts/{id}/review. Deadline alerts open
/// when the due day has ended by the hall clock (a durable timer) and resolve with the awaited act;
/// anomaly alerts open with the act and resolve when reviewed.
/// </summary>
public sealed class AlertTests(HallHost api) : IClassFixture<HallHost>, IDisposable
{
    private readonly Hall _hall = api.Hall;

    public void Dispose() => api.Clock.Set(ApiHost.Start);

    /// <summary>The alerts (as the inspector reads them) once the reaction and the list have caught up.</summary>
    private async Task<JsonArray> AlertsAsync(string query = "")
    {
        // Twice: the reaction appends alert events past the head of the first wait. Generous under a loaded machine.
        for (var i = 0; i < 2; i++)
            await (await _hall.Inspector.GetAsync("/api/admin/projections/caught-up?timeout=60")).ShouldBeAsync(HttpStatusCode.OK);
        var response = await _hall.Inspector.GetAsync($"/api/supervision/alerts?pageSize=500{query}");
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return (await response.ReadJsonAsync())["items"]!.AsArray();
    }

    private async Task<JsonNode?> AlertAsync(string subjectId, string rule) =>
        (await AlertsAsync($"&rule={rule}")).SingleOrDefault(a => a!["caseId"]?.GetValue<string>() == subjectId || a!["complaintId"]?.GetValue<string>() == subjectId);

    private static bool IsOpen(JsonNode alert) => alert["resolvedAt"] is null;

    private Task<HttpResponseMessage> ReviewAsync(HttpClient by, string alertId, string note = "已督促整改") =>
        _hall.PostAsync(by, $"/api/supervision/alerts/{alertId}/review", new { note });

    private async Task SweepAtAsync(DateTimeOffset now)
    {
        await _hall.SetClockAsync(now);
        await _hall.SweepAsync();
    }

    [Fact]
    public async Task An_overdue_promised_deadline_opens_after_its_day_a_review_does_not_resolve_it_and_the_decision_does()
    {
        var c = await _hall.SubmitAsync("T1");
        var promised = DateOnly.Parse((await _hall.AcceptAsync(c.Id)).Str("promisedDeadline"));
        var day = new DateTimeOffset(promised.ToDateTime(new TimeOnly(23, 30)), TimeSpan.FromHours(8));

        // Not on the evening of the due day: the deadline ends at 23:59:59.
        await SweepAtAsync(day);
        (await AlertAsync(c.Id, "overdue-promised")).ShouldBeNull();

        await SweepAtAsync(day.AddHours(1));
        var alert = (await AlertAsync(c.Id, "overdue-promised")).ShouldNotBeNull();
        IsOpen(alert).ShouldBeTrue();
        alert.Str("departmentCode").ShouldBe(Hall.Department);
        alert.Str("windowCode").ShouldBe(Hall.Window);
        alert.Str("staffId").ShouldBe(Hall.ClerkId);
        alert["firstSeen"]!.GetValue<DateTimeOffset>().ShouldBe(day.AddHours(1));
        (await AlertAsync(c.Id, "overdue-statutory")).ShouldBeNull();
        var id = alert.Str("id");

        // The review is recorded on the alert's stream; a deadline alert stays open.
        await (await ReviewAsync(_hall.Manager, id)).ShouldBeAsync(HttpStatusCode.OK);
        alert = (await AlertAsync(c.Id, "overdue-promised"))!;
        IsOpen(alert).ShouldBeTrue();
        alert["reviews"]!.AsArray().Single()!.Str("by").ShouldBe("manager-1");
        (await _hall.TypesAsync(id)).ShouldBe(["alert_raised", "alert_reviewed"]);

        await (await _hall.SignAsync(c.Id, "market-a1", "approver")).ShouldBeAsync(HttpStatusCode.OK);
        alert = (await AlertAsync(c.Id, "overdue-promised"))!;
        IsOpen(alert).ShouldBeFalse();
        (await AlertsAsync($"&rule=overdue-promised&open=true")).ShouldNotContain(a => a!.Str("id") == id);

        // Resolved: a review is a 409 and appends nothing.
        var version = await _hall.StreamVersionAsync(id);
        await (await ReviewAsync(_hall.Manager, id)).ShouldBeAsync(HttpStatusCode.Conflict);
        (await _hall.StreamVersionAsync(id)).ShouldBe(version);
    }

    [Fact]
    public async Task An_overdue_statutory_deadline_opens_the_day_after_it_and_a_withdrawal_resolves_it()
    {
        var c = await _hall.SubmitAsync("T1");
        var statutory = DateOnly.Parse((await _hall.AcceptAsync(c.Id)).Str("statutoryDeadline"));

        await SweepAtAsync(new DateTimeOffset(statutory.AddDays(1).ToDateTime(new TimeOnly(8, 0)), TimeSpan.FromHours(8)));
        IsOpen((await AlertAsync(c.Id, "overdue-statutory")).ShouldNotBeNull()).ShouldBeTrue();
        IsOpen((await AlertAsync(c.Id, "overdue-promised")).ShouldNotBeNull()).ShouldBeTrue();

        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "withdrawal", new { reason = "申请人撤回" })).ShouldBeAsync(HttpStatusCode.OK);
        IsOpen((await AlertAsync(c.Id, "overdue-statutory"))!).ShouldBeFalse();
        (await AlertAsync(c.Id, "overdue-statutory"))!.Str("resolution").ShouldBe("withdrawn");
    }

    [Fact]
    public async Task A_remote_approver_signature_opens_an_alert_for_its_signer_that_a_review_resolves()
    {
        var c = await _hall.AcceptedCaseAsync("T1");
        await (await _hall.SignAsync(c.Id, "market-a1", "approver", onSite: false)).ShouldBeAsync(HttpStatusCode.OK);

        var alert = (await AlertAsync(c.Id, "remote-signature")).ShouldNotBeNull();
        alert.Str("staffId").ShouldBe("market-a1");
        alert.Str("departmentCode").ShouldBe(Hall.Department);
        IsOpen(alert).ShouldBeTrue();
        (await AlertsAsync("&staffId=market-a1&open=true")).ShouldContain(a => a!.Str("id") == alert.Str("id"));
        var id = alert.Str("id");

        // Inspectors never write; an unknown alert is a 404; a review needs its note.
        await (await ReviewAsync(_hall.Inspector, id)).ShouldBeAsync(HttpStatusCode.Forbidden);
        await (await ReviewAsync(_hall.Handler(), id)).ShouldBeAsync(HttpStatusCode.Forbidden);
        await (await ReviewAsync(_hall.Manager, "alert-remote-signature-nobody")).ShouldBeAsync(HttpStatusCode.NotFound);
        await (await ReviewAsync(_hall.Manager, id, " ")).ShouldBeInvalidAsync("note");
        (await _hall.TypesAsync(id)).ShouldBe(["alert_raised"]);

        await (await ReviewAsync(_hall.MarketLeader, id, "已说明异地签批原因")).ShouldBeAsync(HttpStatusCode.OK);
        alert = (await AlertAsync(c.Id, "remote-signature"))!;
        IsOpen(alert).ShouldBeFalse();
        alert.Str("resolution").ShouldBe("reviewed");
        (await _hall.TypesAsync(id)).ShouldBe(["alert_raised", "alert_reviewed", "alert_resolved"]);

        await (await ReviewAsync(_hall.Manager, id)).ShouldBeAsync(HttpStatusCode.Conflict);
        (await _hall.TypesAsync(id)).Count.ShouldBe(3);
    }

    [Fact]
    public async Task An_on_site_or_lower_tier_signature_raises_nothing()
    {
        var c = await _hall.AcceptedCaseAsync("T2");
        await (await _hall.SignAsync(c.Id, "market-h1", "handler", onSite: false)).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.SignAsync(c.Id, "market-a1", "approver")).ShouldBeAsync(HttpStatusCode.OK);
        (await AlertsAsync()).ShouldNotContain(a => a!["caseId"] != null && a["caseId"]!.GetValue<string>() == c.Id);
    }

    [Fact]
    public async Task A_deemed_acceptance_opens_an_alert()
    {
        var c = await _hall.SubmitAsync("T1");
        await SweepAtAsync(Hall.At(3, 9, 23, 30));
        (await AlertAsync(c.Id, "deemed-acceptance")).ShouldBeNull();
        await SweepAtAsync(Hall.At(3, 10, 8));
        var alert = (await AlertAsync(c.Id, "deemed-acceptance")).ShouldNotBeNull();
        alert.Str("staffId").ShouldBe(Hall.ClerkId);
        await (await ReviewAsync(_hall.Manager, alert.Str("id"))).ShouldBeAsync(HttpStatusCode.OK);
        IsOpen((await AlertAsync(c.Id, "deemed-acceptance"))!).ShouldBeFalse();
    }

    [Fact]
    public async Task An_alert_on_a_case_no_staff_member_has_touched_names_no_staff_never_the_applicants_account()
    {
        var online = await _hall.SubmitAsync("T1", by: _hall.Applicant("applicant-untouched"), channel: "online");
        await SweepAtAsync(Hall.At(3, 10, 8));

        var alert = (await AlertAsync(online.Id, "deemed-acceptance")).ShouldNotBeNull();
        alert["staffId"].ShouldBeNull();
        alert.Str("departmentCode").ShouldBe(Hall.Department);
    }

    [Fact]
    public async Task A_second_supplement_request_naming_new_materials_opens_an_alert_that_a_review_resolves()
    {
        var c = await _hall.SubmitAsync("T3", ["form"]);
        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "supplement-requests", new { materials = new[] { "plan" }, note = "" })).ShouldBeAsync(HttpStatusCode.OK);
        (await AlertAsync(c.Id, "repeated-supplement")).ShouldBeNull();
        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "supplements", new { materials = new[] { "plan" } })).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "supplement-requests", new { materials = new[] { "form" }, note = "再补" })).ShouldBeAsync(HttpStatusCode.OK);

        var alert = (await AlertAsync(c.Id, "repeated-supplement")).ShouldNotBeNull();
        alert.Str("staffId").ShouldBe(Hall.ClerkId);
        IsOpen(alert).ShouldBeTrue();
        await (await ReviewAsync(_hall.MarketLeader, alert.Str("id"))).ShouldBeAsync(HttpStatusCode.OK);
        IsOpen((await AlertAsync(c.Id, "repeated-supplement"))!).ShouldBeFalse();
    }

    [Fact]
    public async Task A_deemed_consent_belongs_to_the_participant_department_that_defaulted()
    {
        var c = await _hall.AcceptedCaseAsync("PARALLEL");
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "parallel-review")).ShouldBeAsync(HttpStatusCode.OK);
        await SweepAtAsync(Hall.At(3, 20, 9));

        var alerts = (await AlertsAsync("&rule=deemed-consent")).Where(a => a!["caseId"]!.GetValue<string>() == c.Id).ToList();
        alerts.Select(a => a!.Str("departmentCode")).ShouldBe(["ENV", "FIRE"], ignoreOrder: true);
        var env = alerts.Single(a => a!.Str("departmentCode") == "ENV")!;
        (await AlertsAsync("&departmentCode=ENV&rule=deemed-consent")).ShouldContain(a => a!.Str("id") == env.Str("id"));

        await (await ReviewAsync(_hall.Manager, env.Str("id"))).ShouldBeAsync(HttpStatusCode.OK);
        var after = (await AlertsAsync("&rule=deemed-consent")).Where(a => a!["caseId"]!.GetValue<string>() == c.Id).ToList();
        IsOpen(after.Single(a => a!.Str("departmentCode") == "ENV")!).ShouldBeFalse();
        IsOpen(after.Single(a => a!.Str("departmentCode") == "FIRE")!).ShouldBeTrue();
    }

    [Fact]
    public async Task A_stop_longer_than_stated_opens_an_alert_that_the_resumption_resolves()
    {
        var c = await _hall.AcceptedCaseAsync("T3");
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "suspensions",
            new { reason = "expert-review", expectedDays = 2, approvedBy = "分管副局长", note = "书面告知申请人" })).ShouldBeAsync(HttpStatusCode.OK);
        // Two working days after Monday 2 March: Wednesday 4 March.
        await SweepAtAsync(Hall.At(3, 4, 22));
        (await AlertAsync(c.Id, "suspension-overrun")).ShouldBeNull();
        await SweepAtAsync(Hall.At(3, 5, 9));
        IsOpen((await AlertAsync(c.Id, "suspension-overrun")).ShouldNotBeNull()).ShouldBeTrue();

        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "resumption")).ShouldBeAsync(HttpStatusCode.OK);
        IsOpen((await AlertAsync(c.Id, "suspension-overrun"))!).ShouldBeFalse();
    }

    [Fact]
    public async Task A_deferred_material_overdue_opens_an_alert_that_its_delivery_resolves()
    {
        var c = await _hall.SubmitAsync("T3", ["form"]);
        await _hall.AcceptAsync(c.Id, new { deferred = new[] { new { material = "plan", dueDate = "2026-03-06" } } });
        await SweepAtAsync(Hall.At(3, 6, 22));
        (await AlertAsync(c.Id, "deferred-material-overdue")).ShouldBeNull();
        await SweepAtAsync(Hall.At(3, 9, 9));
        IsOpen((await AlertAsync(c.Id, "deferred-material-overdue")).ShouldNotBeNull()).ShouldBeTrue();

        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "supplements", new { materials = new[] { "plan" } })).ShouldBeAsync(HttpStatusCode.OK);
        IsOpen((await AlertAsync(c.Id, "deferred-material-overdue"))!).ShouldBeFalse();
    }

    [Fact]
    public async Task A_post_check_overdue_opens_an_alert_that_the_post_check_resolves()
    {
        var c = await _hall.SubmitAsync("COMMIT", commitmentSigned: true);
        await _hall.AcceptAsync(c.Id);
        await SweepAtAsync(Hall.At(3, 31, 9));
        IsOpen((await AlertAsync(c.Id, "post-check-overdue")).ShouldNotBeNull()).ShouldBeTrue();

        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "post-check", new { outcome = "confirmed", note = "迟到的核查" })).ShouldBeAsync(HttpStatusCode.OK);
        IsOpen((await AlertAsync(c.Id, "post-check-overdue"))!).ShouldBeFalse();
    }

    [Fact]
    public async Task A_bad_review_not_called_back_or_rectified_in_time_opens_alerts_that_the_follow_up_resolves()
    {
        var c = await _hall.AcceptedCaseAsync("T1");
        var rated = await _hall.CommandAsync(_hall.Clerk, c.Id, "ratings", new { stage = "acceptance", level = 1, comment = "态度差", realName = true });
        await rated.ShouldBeAsync(HttpStatusCode.Created);
        var ratingId = (await rated.ReadJsonAsync()).Str("ratingId");

        await SweepAtAsync(Hall.At(3, 4, 9));
        var callback = (await AlertAsync(c.Id, "bad-review-callback-overdue")).ShouldNotBeNull();
        callback.Str("ratingId").ShouldBe(ratingId);
        (await AlertAsync(c.Id, "bad-review-rectification-overdue")).ShouldBeNull();

        await (await _hall.CommandAsync(_hall.Manager, c.Id, $"ratings/{ratingId}/callback", new { note = "已回访" })).ShouldBeAsync(HttpStatusCode.OK);
        IsOpen((await AlertAsync(c.Id, "bad-review-callback-overdue"))!).ShouldBeFalse();

        await SweepAtAsync(Hall.At(3, 31, 9));
        IsOpen((await AlertAsync(c.Id, "bad-review-rectification-overdue")).ShouldNotBeNull()).ShouldBeTrue();
        await (await _hall.CommandAsync(_hall.Manager, c.Id, $"ratings/{ratingId}/rectification", new { note = "已整改" })).ShouldBeAsync(HttpStatusCode.OK);
        IsOpen((await AlertAsync(c.Id, "bad-review-rectification-overdue"))!).ShouldBeFalse();
    }

    [Fact]
    public async Task A_complaint_step_not_taken_in_time_opens_an_alert_that_the_step_resolves()
    {
        var filed = await _hall.PostAsync(_hall.Clerk, "/api/complaints", new
        {
            channel = "visit", target = new { kind = "staff", id = "market-h1" }, category = "conduct", content = "态度差",
            complainant = new { name = "李四", phone = "13900000000", realName = true },
        });
        await filed.ShouldBeAsync(HttpStatusCode.Created);
        var id = (await filed.ReadJsonAsync()).Str("id");

        await SweepAtAsync(Hall.At(3, 10, 9));
        var alert = (await AlertAsync(id, "complaint-overdue")).ShouldNotBeNull();
        alert.Str("staffId").ShouldBe("market-h1");
        alert.Str("departmentCode").ShouldBe(Hall.Department);

        await (await _hall.PostAsync(_hall.Manager, $"/api/complaints/{id}/acceptance")).ShouldBeAsync(HttpStatusCode.OK);
        IsOpen((await AlertAsync(id, "complaint-overdue"))!).ShouldBeFalse();
    }

    [Fact]
    public async Task Every_waiver_or_reduction_opens_an_alert_for_who_waived_it_that_a_review_resolves()
    {
        await _hall.FeeItemAsync("FEE-STD", 50m);
        await _hall.MatterAsync("M-FEE", ["FEE-STD"]);
        var id = await _hall.AcceptedOnlineCaseAsync("M-FEE");
        await (await _hall.Cashier.PostAsJsonAsync($"/api/cases/{id}/fees", new { items = new[] { new { feeItemCode = "FEE-STD", amount = 50m } } }))
            .ShouldBeAsync(HttpStatusCode.OK);
        foreach (var amount in new[] { 10m, 40m })
            await (await _hall.Cashier.PostAsJsonAsync($"/api/cases/{id}/fees/waivers",
                new { feeItemCode = "FEE-STD", amount, approvalReference = "减免审批〔2026〕3号", reason = "困难群众" })).ShouldBeAsync(HttpStatusCode.OK);

        var alerts = (await AlertsAsync("&rule=fee-waiver")).Where(a => a!["caseId"]!.GetValue<string>() == id).ToList();
        alerts.Count.ShouldBe(2);
        alerts.ShouldAllBe(a => a!["staffId"]!.GetValue<string>() == "cashier-1" && a["resolvedAt"] == null);
        await (await ReviewAsync(_hall.Manager, alerts[0]!.Str("id"))).ShouldBeAsync(HttpStatusCode.OK);
        (await AlertsAsync("&rule=fee-waiver&open=true")).Count(a => a!["caseId"]!.GetValue<string>() == id).ShouldBe(1);
    }

    [Fact]
    public async Task The_alert_list_rebuilt_from_zero_is_the_same_reviews_included()
    {
        var c = await _hall.AcceptedCaseAsync("T1");
        await (await _hall.SignAsync(c.Id, "market-a1", "approver", onSite: false)).ShouldBeAsync(HttpStatusCode.OK);
        var alert = (await AlertAsync(c.Id, "remote-signature"))!;
        await (await ReviewAsync(_hall.Manager, alert.Str("id"))).ShouldBeAsync(HttpStatusCode.OK);
        var before = (await AlertsAsync()).ToJsonString();

        await (await _hall.Manager.PostAsync("/api/admin/projections/alert_views/rebuild", null)).ShouldBeAsync(HttpStatusCode.Accepted);
        var after = (await AlertsAsync()).ToJsonString();
        after.ShouldBe(before);
        JsonNode.Parse(after)!.AsArray().Single(a => a!.Str("id") == alert.Str("id"))!["reviews"]!.AsArray().Single()!.Str("note").ShouldBe("已督促整改");
    }
}
