using System.Net;
using System.Net.Http.Json;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Catalogue;

/// <summary>The catalogue of matters (事项清单): published, revised and revoked by the manager, read by anyone.</summary>
public sealed class MatterTests(HallHost api) : IClassFixture<HallHost>
{
    private readonly Hall _hall = api.Hall;

    private static readonly object[] Materials =
    [
        new { code = "form", name = "申请书", mandatory = true, deferrable = false },
        new { code = "photo", name = "照片", mandatory = false, deferrable = false },
    ];

    private Task<HttpResponseMessage> PublishAsync(string code, int tiers = 1, int statutoryDays = 20, int promisedDays = 10) =>
        _hall.Manager.PostAsJsonAsync("/api/matters", HallSeed.MatterBody(code, tiers, Materials, statutoryDays: statutoryDays, promisedDays: promisedDays,
            specialProcedures: [new { code = "site-inspection", name = "现场勘察", legalBasis = "某办法第八条", countsTowardLimit = false }]));

    [Fact]
    public async Task A_published_matter_is_read_by_anyone_without_a_token()
    {
        var published = await PublishAsync("CAT-1");

        await published.ShouldBeAsync(HttpStatusCode.Created);
        published.Headers.Location!.ToString().ShouldBe("/api/matters/CAT-1");
        var body = await published.ReadJsonAsync();
        body.Str("id").ShouldBe("CAT-1");
        body["version"]!.GetValue<int>().ShouldBe(1);
        body.Str("status").ShouldBe("published");

        var matter = await (await _hall.Anonymous.GetAsync("/api/matters/CAT-1")).ReadJsonAsync();
        matter.Str("code").ShouldBe("CAT-1");
        matter["version"]!.GetValue<int>().ShouldBe(1);
        matter["revoked"]!.GetValue<bool>().ShouldBeFalse();
        matter.Str("category").ShouldBe("licensing");
        matter.Str("level").ShouldBe("city");
        matter.Str("serviceObject").ShouldBe("both");
        matter["statutoryDays"]!.GetValue<int>().ShouldBe(20);
        matter["promisedDays"]!.GetValue<int>().ShouldBe(10);
        matter["tiers"]!.GetValue<int>().ShouldBe(1);
        matter["materials"]!.AsArray().Select(m => m.Str("code")).ShouldBe(["form", "photo"]);
        matter["specialProcedures"]![0]!.Str("code").ShouldBe("site-inspection");

        var list = await (await _hall.Anonymous.GetAsync("/api/matters")).ReadJsonAsync();
        list["items"]!.AsArray().Select(m => m.Str("code")).ShouldContain("CAT-1");
        list["total"]!.GetValue<int>().ShouldBe(list["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task An_unknown_matter_is_a_404()
    {
        (await _hall.Anonymous.GetAsync("/api/matters/NOPE")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _hall.Manager.PostAsJsonAsync("/api/matters/NOPE/revocation", new { })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _hall.Manager.PutAsJsonAsync("/api/matters/NOPE", HallSeed.MatterBody("NOPE", 1, Materials))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_matter_code_is_published_once()
    {
        await (await PublishAsync("CAT-2")).ShouldBeAsync(HttpStatusCode.Created);

        var again = await PublishAsync("CAT-2");

        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await _hall.StreamVersionAsync("matter-CAT-2")).ShouldBe(1);
    }

    [Fact]
    public async Task An_invalid_matter_is_a_400_naming_its_fields()
    {
        await (await PublishAsync("CAT-3", tiers: 4)).ShouldBeInvalidAsync("tiers");
        await (await PublishAsync("CAT-3", promisedDays: 30)).ShouldBeInvalidAsync("promisedDays");
        await (await PublishAsync("CAT-3", statutoryDays: 0)).ShouldBeInvalidAsync("statutoryDays");
        await (await _hall.Manager.PostAsJsonAsync("/api/matters", HallSeed.MatterBody("CAT-3", 1, Materials, departmentCode: "NOPE")))
            .ShouldBeInvalidAsync("departmentCode");
        await (await _hall.Manager.PostAsJsonAsync("/api/matters", HallSeed.MatterBody("CAT-3", 1, [Materials[0], Materials[0]])))
            .ShouldBeInvalidAsync("materials");
        await (await _hall.Manager.PostAsJsonAsync("/api/matters", HallSeed.MatterBody("CAT-3", 1, Materials, commitment: new { postCheckDays = 0 })))
            .ShouldBeInvalidAsync("commitment");
        await (await _hall.Manager.PostAsJsonAsync("/api/matters", HallSeed.MatterBody("CAT-3", 1, Materials, parallel: new { participants = Array.Empty<string>(), opinionDays = 5 })))
            .ShouldBeInvalidAsync("parallel");
        (await _hall.StreamVersionAsync("matter-CAT-3")).ShouldBe(0);
    }

    [Fact]
    public async Task A_revision_is_a_new_version_and_an_open_case_keeps_the_version_it_was_received_under()
    {
        await (await PublishAsync("CAT-4", tiers: 1)).ShouldBeAsync(HttpStatusCode.Created);
        var open = await _hall.AcceptedCaseAsync("CAT-4");

        var revised = await _hall.Manager.PutAsJsonAsync("/api/matters/CAT-4",
            HallSeed.MatterBody("CAT-4", 2, Materials, name: "修订后的事项", statutoryDays: 15, promisedDays: 5));

        await revised.ShouldBeAsync(HttpStatusCode.OK);
        var body = await revised.ReadJsonAsync();
        body["version"]!.GetValue<int>().ShouldBe(2);
        body.Str("status").ShouldBe("revised");
        var matter = await (await _hall.Anonymous.GetAsync("/api/matters/CAT-4")).ReadJsonAsync();
        matter["version"]!.GetValue<int>().ShouldBe(2);
        matter["tiers"]!.GetValue<int>().ShouldBe(2);
        matter["statutoryDays"]!.GetValue<int>().ShouldBe(15);

        // The open case is decided under version 1: one tier, the approver's.
        (await _hall.ViewAsync(open.Id))["matterVersion"]!.GetValue<int>().ShouldBe(1);
        await (await _hall.SignAsync(open.Id, "market-a1", "approver")).ShouldBeAsync(HttpStatusCode.OK);
        (await _hall.ViewAsync(open.Id)).Str("status").ShouldBe("approved");

        // A new case follows version 2: the handler signs first, 5 promised days.
        var fresh = await _hall.AcceptedCaseAsync("CAT-4");
        var view = await _hall.ViewAsync(fresh.Id);
        view["matterVersion"]!.GetValue<int>().ShouldBe(2);
        view.Str("promisedDeadline").ShouldBe("2026-03-09");
        await (await _hall.SignAsync(fresh.Id, "market-a1", "approver")).ShouldBeRefusedAsync("tier-order");
    }

    [Fact]
    public async Task A_revision_that_changes_nothing_appends_nothing_and_the_code_cannot_change()
    {
        await (await PublishAsync("CAT-5")).ShouldBeAsync(HttpStatusCode.Created);

        var same = await _hall.Manager.PutAsJsonAsync("/api/matters/CAT-5", HallSeed.MatterBody("CAT-5", 1, Materials,
            specialProcedures: [new { code = "site-inspection", name = "现场勘察", legalBasis = "某办法第八条", countsTowardLimit = false }]));
        await same.ShouldBeAsync(HttpStatusCode.OK);
        (await same.ReadJsonAsync())["version"]!.GetValue<int>().ShouldBe(1);

        await (await _hall.Manager.PutAsJsonAsync("/api/matters/CAT-5", HallSeed.MatterBody("CAT-6", 1, Materials))).ShouldBeInvalidAsync("code");
        (await _hall.StreamVersionAsync("matter-CAT-5")).ShouldBe(1);
    }

    [Fact]
    public async Task A_revoked_matter_takes_no_new_application_but_its_open_cases_go_on()
    {
        await (await PublishAsync("CAT-7")).ShouldBeAsync(HttpStatusCode.Created);
        var open = await _hall.AcceptedCaseAsync("CAT-7");

        var revoked = await _hall.Manager.PostAsJsonAsync("/api/matters/CAT-7/revocation", new { });

        await revoked.ShouldBeAsync(HttpStatusCode.OK);
        (await revoked.ReadJsonAsync()).Str("status").ShouldBe("revoked");
        (await (await _hall.Anonymous.GetAsync("/api/matters/CAT-7")).ReadJsonAsync())["revoked"]!.GetValue<bool>().ShouldBeTrue();
        await (await _hall.SubmitRawAsync("CAT-7", ["form"])).ShouldBeRefusedAsync("matter-revoked");
        await (await _hall.Manager.PutAsJsonAsync("/api/matters/CAT-7", HallSeed.MatterBody("CAT-7", 2, Materials))).ShouldBeRefusedAsync("matter-revoked");
        await (await _hall.SignAsync(open.Id, "market-a1", "approver")).ShouldBeAsync(HttpStatusCode.OK);

        var again = await _hall.Manager.PostAsJsonAsync("/api/matters/CAT-7/revocation", new { });
        await again.ShouldBeAsync(HttpStatusCode.OK);
        (await _hall.StreamVersionAsync("matter-CAT-7")).ShouldBe(2);
    }

    [Fact]
    public async Task Only_the_manager_changes_the_catalogue()
    {
        var body = HallSeed.MatterBody("CAT-8", 1, Materials);

        (await _hall.Anonymous.PostAsJsonAsync("/api/matters", body)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        foreach (var client in new[] { _hall.Clerk, _hall.Handler(), _hall.Inspector, _hall.Auditor, _hall.Applicant(), _hall.Leader("market-lead", "MARKET") })
        {
            (await client.PostAsJsonAsync("/api/matters", body)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await client.PutAsJsonAsync("/api/matters/T1", HallSeed.MatterBody("T1", 2, Materials))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await client.PostAsJsonAsync("/api/matters/T1/revocation", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }
        (await _hall.StreamVersionAsync("matter-CAT-8")).ShouldBe(0);
        (await _hall.StreamVersionAsync("matter-T1")).ShouldBe(1);
    }

    [Fact]
    public async Task The_catalogue_is_a_paged_list()
    {
        var all = await (await _hall.Anonymous.GetAsync("/api/matters")).ReadJsonAsync();
        var total = all["total"]!.GetValue<int>();
        total.ShouldBeGreaterThanOrEqualTo(7);
        all["page"]!.GetValue<int>().ShouldBe(1);
        all["pageSize"]!.GetValue<int>().ShouldBe(50);

        var second = await (await _hall.Anonymous.GetAsync("/api/matters?page=2&pageSize=3")).ReadJsonAsync();

        second["total"]!.GetValue<int>().ShouldBe(total);
        second["page"]!.GetValue<int>().ShouldBe(2);
        second["pageSize"]!.GetValue<int>().ShouldBe(3);
        second["items"]!.AsArray().Select(m => m.Str("code"))
            .ShouldBe(all["items"]!.AsArray().Skip(3).Take(3).Select(m => m.Str("code")));
        await (await _hall.Anonymous.GetAsync("/api/matters?pageSize=501")).ShouldBeInvalidAsync("pageSize");
        await (await _hall.Anonymous.GetAsync("/api/matters?page=0")).ShouldBeInvalidAsync("page");
    }
}
