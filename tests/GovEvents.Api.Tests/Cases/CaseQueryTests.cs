using System.Net;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Cases;

/// <summary>The case view, its history, its state as of a time or version, and the public lookup (信息服务).</summary>
public sealed class CaseQueryTests(HallHost api) : IClassFixture<HallHost>, IDisposable
{
    private readonly Hall _hall = api.Hall;

    public void Dispose() => api.Clock.Set(ApiHost.Start);

    private static string Q(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O"));

    [Fact]
    public async Task The_public_lookup_with_the_right_query_code_shows_only_minimal_progress_without_a_login()
    {
        var c = await _hall.SubmitAsync("T1");
        await _hall.AcceptAsync(c.Id);
        await _hall.CaughtUpAsync();

        var response = await _hall.Anonymous.GetAsync($"/api/public/cases/{c.CaseNumber}?queryCode={c.QueryCode}");

        await response.ShouldBeAsync(HttpStatusCode.OK);
        var body = (await response.ReadJsonAsync()).AsObject();
        body.Select(p => p.Key).ShouldBe(["caseNumber", "matterName", "status", "receivedAt", "promisedDeadline"], ignoreOrder: true);
        body.Str("caseNumber").ShouldBe(c.CaseNumber);
        body.Str("matterName").ShouldBe("测试事项 T1");
        body.Str("status").ShouldBe("accepted");
        body["receivedAt"]!.GetValue<DateTimeOffset>().ShouldBe(ApiHost.Start);
        body.Str("promisedDeadline").ShouldBe("2026-03-16");
    }

    [Fact]
    public async Task The_public_lookup_with_a_wrong_or_missing_query_code_is_a_404()
    {
        var c = await _hall.SubmitAsync("T1");
        await _hall.CaughtUpAsync();
        var wrong = c.QueryCode == "00000-00000" ? "00000-00001" : "00000-00000";

        (await _hall.Anonymous.GetAsync($"/api/public/cases/{c.CaseNumber}?queryCode={wrong}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _hall.Anonymous.GetAsync($"/api/public/cases/{c.CaseNumber}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _hall.Anonymous.GetAsync($"/api/public/cases/{c.CaseNumber}?queryCode=")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _hall.Anonymous.GetAsync($"/api/public/cases/1999000001?queryCode={c.QueryCode}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_query_code_is_read_back_as_people_say_it_in_any_case_without_the_dash_with_O_for_0_and_I_or_L_for_1()
    {
        var c = await _hall.SubmitAsync("T1");
        await _hall.CaughtUpAsync();
        var spoken = c.QueryCode.Replace("-", "").ToLowerInvariant().Replace('0', 'o').Replace('1', 'l');

        (await _hall.Anonymous.GetAsync($"/api/public/cases/{c.CaseNumber}?queryCode={spoken}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task History_and_audit_reads_never_hold_the_query_code_in_clear()
    {
        var c = await _hall.SubmitAsync("T1");

        var history = await _hall.Clerk.GetAsync($"/api/cases/{c.Id}/history");
        var first = (await history.ReadJsonAsync()).AsArray()[0]!["sequence"]!.GetValue<long>();
        history = await _hall.Clerk.GetAsync($"/api/cases/{c.Id}/history");
        var stream = await _hall.Auditor.GetAsync($"/api/audit/streams/{c.Id}/events");
        var feed = await _hall.Auditor.GetAsync($"/api/audit/events?fromSequence={first}&limit=10");

        foreach (var response in new[] { history, stream, feed })
        {
            await response.ShouldBeAsync(HttpStatusCode.OK);
            var json = await response.ReadJsonAsync();
            Strings(json).ShouldNotContain(c.QueryCode);
            Names(json).ShouldNotContain("queryCode");
        }
        await _hall.CaughtUpAsync();
        (await _hall.Anonymous.GetAsync($"/api/public/cases/{c.CaseNumber}?queryCode={c.QueryCode}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static IEnumerable<string> Strings(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => o.SelectMany(p => Strings(p.Value)),
        System.Text.Json.Nodes.JsonArray a => a.SelectMany(Strings),
        System.Text.Json.Nodes.JsonValue v when v.TryGetValue<string>(out var text) => [text],
        _ => [],
    };

    private static IEnumerable<string> Names(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => o.SelectMany(p => Names(p.Value).Prepend(p.Key)),
        System.Text.Json.Nodes.JsonArray a => a.SelectMany(Names),
        _ => [],
    };

    [Fact]
    public async Task Case_numbers_are_unique_and_carry_the_year()
    {
        var numbers = new List<string>();
        for (var i = 0; i < 3; i++) numbers.Add((await _hall.SubmitAsync("T1")).CaseNumber);

        numbers.Distinct().Count().ShouldBe(3);
        numbers.ShouldAllBe(n => n.StartsWith("2026") && n.Length == 10);
    }

    [Fact]
    public async Task The_state_as_of_a_version_or_a_time_replays_the_case_up_to_it()
    {
        var c = await _hall.SubmitAsync("T2");
        await _hall.SetClockAsync(Hall.At(3, 2, 10));
        await _hall.AcceptAsync(c.Id);
        await _hall.SetClockAsync(Hall.At(3, 3, 10));
        await (await _hall.SignAsync(c.Id, "market-h1", "handler")).ShouldBeAsync(HttpStatusCode.OK);

        var v1 = await (await _hall.Auditor.GetAsync($"/api/cases/{c.Id}/state?version=1")).ReadJsonAsync();
        v1.Str("status").ShouldBe("submitted");
        v1["version"]!.GetValue<int>().ShouldBe(1);
        v1["promisedDeadline"].ShouldBeNull();
        var v2 = await (await _hall.Auditor.GetAsync($"/api/cases/{c.Id}/state?version=2")).ReadJsonAsync();
        v2.Str("status").ShouldBe("accepted");
        v2["signatures"]!.AsArray().ShouldBeEmpty();

        var noon = await (await _hall.Auditor.GetAsync($"/api/cases/{c.Id}/state?asOf={Q(Hall.At(3, 2, 12))}")).ReadJsonAsync();
        noon.Str("status").ShouldBe("accepted");
        noon["version"]!.GetValue<int>().ShouldBe(2);
        var now = await (await _hall.Auditor.GetAsync($"/api/cases/{c.Id}/state?asOf={Q(Hall.At(3, 3, 12))}")).ReadJsonAsync();
        now.Str("status").ShouldBe("in-review");
        now["signatures"]!.AsArray().Count.ShouldBe(1);
        var latest = await (await _hall.Auditor.GetAsync($"/api/cases/{c.Id}/state")).ReadJsonAsync();
        latest["version"]!.GetValue<int>().ShouldBe(3);
    }

    [Fact]
    public async Task The_state_before_the_case_existed_or_past_its_last_version_is_a_404_and_both_selectors_a_400()
    {
        var c = await _hall.SubmitAsync("T1");

        (await _hall.Auditor.GetAsync($"/api/cases/{c.Id}/state?asOf={Q(Hall.At(3, 1))}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _hall.Auditor.GetAsync($"/api/cases/{c.Id}/state?version=9")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await (await _hall.Auditor.GetAsync($"/api/cases/{c.Id}/state?version=1&asOf={Q(Hall.At(3, 3))}")).ShouldBeInvalidAsync();
        await (await _hall.Auditor.GetAsync($"/api/cases/{c.Id}/state?version=0")).ShouldBeInvalidAsync("version");
        await (await _hall.Auditor.GetAsync($"/api/cases/{c.Id}/state?asOf=last-tuesday")).ShouldBeInvalidAsync("asOf");
    }

    [Fact]
    public async Task An_unknown_case_is_a_404_on_every_read()
    {
        var id = Guid.NewGuid();

        foreach (var path in new[] { $"/api/cases/{id}", $"/api/cases/{id}/history", $"/api/cases/{id}/state", $"/api/cases/{id}/state?version=1" })
            (await _hall.Clerk.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
    }

    [Fact]
    public async Task The_view_carries_its_version_as_an_ETag()
    {
        var c = await _hall.AcceptedCaseAsync("T1");

        var response = await _hall.Clerk.GetAsync($"/api/cases/{c.Id}");

        response.Headers.ETag!.Tag.ShouldBe("\"2\"");
        (await response.ReadJsonAsync())["version"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task The_history_lists_every_event_with_its_actor()
    {
        var applicant = _hall.Applicant("applicant-history");
        var c = await _hall.SubmitAsync("T1", by: applicant, channel: "kiosk");
        await _hall.AcceptAsync(c.Id);
        await (await _hall.SignAsync(c.Id, "market-a1", "approver")).ShouldBeAsync(HttpStatusCode.OK);

        var history = (await (await _hall.Auditor.GetAsync($"/api/cases/{c.Id}/history")).ReadJsonAsync()).AsArray();

        history.Select(e => e.Str("type")).ShouldBe(["case_submitted", "case_accepted", "signature_recorded", "case_approved"]);
        history.Select(e => e!["version"]!.GetValue<int>()).ShouldBe([1, 2, 3, 4]);
        history.Select(e => e!["metadata"]!.Str("actorId")).ShouldBe(["applicant-history", "clerk-1", "market-a1", "market-a1"]);
        history[1]!["metadata"]!.Str("role").ShouldBe("clerk");
        history.Select(e => e!["timestamp"]!.GetValue<DateTimeOffset>()).ShouldAllBe(t => t == ApiHost.Start);
    }

    [Fact]
    public async Task The_case_view_has_every_field_of_the_contract()
    {
        var c = await _hall.AcceptedCaseAsync("T1");

        var view = (await _hall.ViewAsync(c.Id)).AsObject();

        string[] contract =
        [
            "id", "caseNumber", "matterCode", "matterVersion", "departmentCode", "status", "applicant", "channel", "receivedAt",
            "acceptedAt", "decidedAt", "outcome", "promisedDeadline", "statutoryDeadline", "light", "workingDaysUsed", "suspendedDays",
            "signatures", "parallelReview", "suspensions", "fees", "licence", "ratings", "version",
        ];
        foreach (var field in contract) view.ContainsKey(field).ShouldBeTrue(field);
        foreach (var field in new[] { "assessed", "paid", "waived", "balance" }) view["fees"]!.AsObject().ContainsKey(field).ShouldBeTrue(field);
        view["signatures"]!.AsArray().ShouldBeEmpty();
        view["ratings"]!.AsArray().ShouldBeEmpty();
        view.Str("id").ShouldBe(c.Id);
        view.Str("caseNumber").ShouldBe(c.CaseNumber);
        view["queryCode"].ShouldBeNull();
    }
}
