using System.Net;
using GovEvents.Api.Demo;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Hosting.Database;
using GovEvents.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace GovEvents.Api.Tests.Organisation;

/// <summary>The host as ./run.sh starts it: the demo dataset loaded at start-up.</summary>
public sealed class DemoApiHost : ApiHost
{
    protected override void ConfigureSettings(IDictionary<string, string?> settings) => settings["GovEvents:Demo:Load"] = "true";
}

public sealed class DemoDataTests(DemoApiHost api) : IClassFixture<DemoApiHost>
{
    private readonly Hall _hall = api.Hall;

    [Fact]
    public async Task The_demo_catalogue_calendar_and_departments_are_loaded()
    {
        var matters = await (await _hall.Anonymous.GetAsync("/api/matters")).ReadJsonAsync();
        matters["total"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(20);
        var items = matters["items"]!.AsArray();
        items.ShouldContain(m => m!["instantApproval"]!.GetValue<bool>());
        items.ShouldContain(m => m!["commitment"] != null);
        items.ShouldContain(m => m!["parallel"] != null);
        items.Select(m => m!["tiers"]!.GetValue<int>()).Distinct().Order().ShouldBe([1, 2, 3]);

        var calendar = await (await _hall.Anonymous.GetAsync("/api/calendar/2026")).ReadJsonAsync();
        calendar["holidays"]!.AsArray().Count.ShouldBe(DemoData.Holidays2026.Length);
        calendar["workdays"]!.AsArray().Count.ShouldBe(DemoData.Workdays2026.Length);

        foreach (var d in DemoData.Departments)
            (await _hall.StreamVersionAsync($"department-{d.Code}")).ShouldBe(1, d.Code);
    }

    [Fact]
    public async Task A_demo_case_is_submitted_at_the_demo_window_and_signed_under_a_demo_delegation()
    {
        var clerk = _hall.As("clerk-1", [Roles.Clerk], "HALL", "ZH-01");
        var c = await _hall.SubmitAsync("QYKB-001", ["application-form", "articles", "id-proof"], by: clerk);
        await (await _hall.CommandAsync(clerk, c.Id, "acceptance",
            new { deferred = new[] { new { material = "premises-proof", dueDate = "2026-03-09" } } })).ShouldBeAsync(HttpStatusCode.OK);

        var signed = await _hall.CommandAsync(_hall.As("market-a1", [Roles.Approver], "MARKET"), c.Id, "signatures",
            new { tier = "approver", opinion = "approve", comment = "同意", onSite = true });

        await signed.ShouldBeAsync(HttpStatusCode.OK);
        var view = await _hall.ViewAsync(c.Id, clerk);
        view.Str("status").ShouldBe("approved");
        view["signatures"]![0]!.Str("delegationId").ShouldBe("demo-market-a1");
        view.Str("windowCode").ShouldBe("ZH-01");
        await (await _hall.CommandAsync(_hall.As("market-h1", [Roles.Approver], "MARKET"), c.Id, "signatures",
            new { tier = "approver", opinion = "approve", comment = "", onSite = true })).ShouldBeRefusedAsync("already-decided");
    }

    [Fact]
    public async Task A_demo_construction_permit_puts_two_departments_fees_on_one_notice_at_their_lower_bounds()
    {
        var items = await (await _hall.Anonymous.GetAsync("/api/fee-items")).ReadJsonAsync();
        var codes = (items["items"] ?? items).AsArray().Select(i => i!.Str("code")).ToList();
        codes.ShouldBe(DemoData.FeeItems.Select(f => f.Code), ignoreOrder: true);

        var clerk = _hall.As("clerk-1", [Roles.Clerk], "HALL", "ZH-01");
        var c = await _hall.SubmitAsync("GCJS-005", ["application-form", "planning-permit", "construction-contract", "safety-measures"], by: clerk);
        await (await _hall.CommandAsync(clerk, c.Id, "acceptance", new { })).ShouldBeAsync(HttpStatusCode.OK);

        var cashier = _hall.As("cashier-1", [Roles.Cashier], "HALL", "FEE-01");
        var assessed = await _hall.CommandAsync(cashier, c.Id, "fees",
            new { items = new[] { new { feeItemCode = "RFYD-001", amount = 5000m }, new { feeItemCode = "STBC-001", amount = 1000m } } });
        await assessed.ShouldBeAsync(HttpStatusCode.OK);
        (await assessed.ReadJsonAsync())["balance"]!.GetValue<decimal>().ShouldBe(6000m);
        await (await _hall.CommandAsync(cashier, c.Id, "fees",
            new { items = new[] { new { feeItemCode = "STBC-001", amount = 3000m } } })).ShouldBeRefusedAsync("fee-not-lower-bound");
    }

    [Fact]
    public async Task A_demo_instant_approval_matter_licenses_at_once()
    {
        var c = await _hall.SubmitAsync("QYKB-003", ["application-form", "id-proof"], by: _hall.Applicant("demo-applicant"), channel: "mobile");

        c.Status.ShouldBe("licensed");
    }

    /// <summary>README's "Five minutes with curl", step by step, with the same subjects and bodies.</summary>
    [Fact]
    public async Task The_readme_walk_through_takes_a_case_from_submission_to_delivery()
    {
        var clerk = api.CreateClientFor("clerk-1", [Roles.Clerk], "HALL");
        HttpClient Staff(string id, string role) => api.CreateClientFor(id, [role], "MARKET");
        async Task<HttpResponseMessage> Post(HttpClient who, string path, string json) =>
            await who.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        var submitted = await Post(clerk, "/api/cases", """
            {"matterCode":"SPJY-003","channel":"window",
             "applicant":{"kind":"organisation","name":"某某食品有限公司","idNumber":"91110000MA01234567","phone":"13800000000"},
             "materials":["application-form","business-licence","process-flow","equipment-list"]}
            """);
        await submitted.ShouldBeAsync(HttpStatusCode.Created);
        var id = (await submitted.ReadJsonAsync()).Str("id");
        await (await Post(clerk, $"/api/cases/{id}/acceptance", "{}")).ShouldBeAsync(HttpStatusCode.OK);
        var h = Staff("market-h1", Roles.Handler);
        await (await Post(h, $"/api/cases/{id}/signatures", """{"tier":"handler","opinion":"approve","comment":"材料齐全","onSite":true}"""))
            .ShouldBeAsync(HttpStatusCode.OK);
        await (await Post(h, $"/api/cases/{id}/signatures", """{"tier":"reviewer","opinion":"approve","comment":"","onSite":true}"""))
            .ShouldBeRefusedAsync("same-signer");
        await (await Post(Staff("market-r1", Roles.Reviewer), $"/api/cases/{id}/signatures", """{"tier":"reviewer","opinion":"approve","comment":"同意","onSite":true}"""))
            .ShouldBeAsync(HttpStatusCode.OK);
        await (await Post(Staff("market-a1", Roles.Approver), $"/api/cases/{id}/signatures", """{"tier":"approver","opinion":"approve","comment":"准予许可","onSite":true}"""))
            .ShouldBeAsync(HttpStatusCode.OK);
        await (await Post(clerk, $"/api/cases/{id}/licence", """{"licenceNumber":"SC10611010500001","validUntil":"2031-11-22"}""")).ShouldBeAsync(HttpStatusCode.OK);
        var delivered = await Post(clerk, $"/api/cases/{id}/delivery", """{"method":"electronic"}""");
        await delivered.ShouldBeAsync(HttpStatusCode.OK);
        (await delivered.ReadJsonAsync()).Str("status").ShouldBe("delivered");

        (await clerk.GetAsync($"/api/cases/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await clerk.GetAsync($"/api/cases/{id}/history")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var integrity = await api.CreateClientFor("auditor-1", [Roles.Auditor], "HALL").GetAsync("/api/audit/integrity");
        await integrity.ShouldBeAsync(HttpStatusCode.OK);
        (await integrity.ReadJsonAsync())["ok"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Loading_again_changes_nothing()
    {
        var before = (await api.Store.ReadAllAsync(0, 100_000)).Count;

        await api.Services.GetRequiredService<IDemoDataLoader>().LoadAsync(CancellationToken.None);

        (await api.Store.ReadAllAsync(0, 100_000)).Count.ShouldBe(before);
    }

    [Fact]
    public async Task The_demo_matters_signing_tiers_are_covered_by_demo_delegations()
    {
        // Every department with a matter has a handler, reviewer and approver delegated for its tiers.
        var matters = (await (await _hall.Anonymous.GetAsync("/api/matters")).ReadJsonAsync())["items"]!.AsArray();
        foreach (var m in matters)
        {
            var dept = m.Str("departmentCode").ToLowerInvariant();
            (await _hall.StreamVersionAsync($"delegation-demo-{dept}-a1")).ShouldBe(1, m.Str("code"));
            if (m!["tiers"]!.GetValue<int>() >= 2) (await _hall.StreamVersionAsync($"delegation-demo-{dept}-h1")).ShouldBe(1);
            if (m!["tiers"]!.GetValue<int>() == 3) (await _hall.StreamVersionAsync($"delegation-demo-{dept}-r1")).ShouldBe(1);
        }
    }
}
