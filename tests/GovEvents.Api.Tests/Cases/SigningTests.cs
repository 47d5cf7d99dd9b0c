using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Cases;

/// <summary>签批: tiers in order, authority at the moment of signing, one person one tier, the decision, concurrency.</summary>
public sealed class SigningTests(HallHost api) : IClassFixture<HallHost>, IDisposable
{
    private readonly Hall _hall = api.Hall;

    public void Dispose() => api.Clock.Set(ApiHost.Start);

    private async Task<JsonArray> HistoryAsync(string caseId) =>
        (await (await _hall.Clerk.GetAsync($"/api/cases/{caseId}/history")).ReadJsonAsync()).AsArray();

    [Fact]
    public async Task A_three_tier_case_is_signed_in_order_and_the_approvers_approval_decides_it()
    {
        var c = await _hall.AcceptedCaseAsync("T3");

        var handler = await _hall.SignAsync(c.Id, "market-h1", "handler");
        await handler.ShouldBeAsync(HttpStatusCode.OK);
        (await handler.ReadJsonAsync()).Str("status").ShouldBe("in-review");
        await (await _hall.SignAsync(c.Id, "market-r1", "reviewer", onSite: false)).ShouldBeAsync(HttpStatusCode.OK);
        var approver = await _hall.SignAsync(c.Id, "market-a1", "approver");

        await approver.ShouldBeAsync(HttpStatusCode.OK);
        (await approver.ReadJsonAsync()).Str("status").ShouldBe("approved");
        var view = await _hall.ViewAsync(c.Id);
        view.Str("status").ShouldBe("approved");
        view.Str("outcome").ShouldBe("approved");
        view["decidedAt"]!.GetValue<DateTimeOffset>().ShouldBe(ApiHost.Start);
        var signatures = view["signatures"]!.AsArray();
        signatures.Select(s => s.Str("tier")).ShouldBe(["handler", "reviewer", "approver"]);
        signatures.Select(s => s.Str("signerId")).ShouldBe(["market-h1", "market-r1", "market-a1"]);
        signatures.Select(s => s.Str("delegationId")).ShouldBe([_hall.Delegations["market-h1"], _hall.Delegations["market-r1"], _hall.Delegations["market-a1"]]);
        signatures[1]!["onSite"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task The_history_of_a_signature_names_the_actor_their_role_and_the_delegation_used()
    {
        var c = await _hall.AcceptedCaseAsync("T2");
        await (await _hall.SignAsync(c.Id, "market-h1", "handler")).ShouldBeAsync(HttpStatusCode.OK);

        var history = await HistoryAsync(c.Id);

        history.Select(e => e.Str("type")).ShouldBe(["case_submitted", "case_accepted", "signature_recorded"]);
        var signature = history[2]!;
        signature["version"]!.GetValue<int>().ShouldBe(3);
        signature["sequence"]!.GetValue<long>().ShouldBeGreaterThan(history[1]!["sequence"]!.GetValue<long>());
        signature.Str("hash").Length.ShouldBe(64);
        signature["data"]!.Str("signerId").ShouldBe("market-h1");
        var metadata = signature["metadata"]!;
        metadata.Str("actorId").ShouldBe("market-h1");
        metadata.Str("actorKind").ShouldBe("staff");
        metadata.Str("role").ShouldContain("handler");
        metadata.Str("department").ShouldBe("MARKET");
        metadata.Str("delegationId").ShouldBe(_hall.Delegations["market-h1"]);
        var submitted = history[0]!["metadata"]!;
        submitted.Str("actorId").ShouldBe("clerk-1");
        submitted.Str("window").ShouldBe("ZH-01");
        submitted["delegationId"].ShouldBeNull();
    }

    [Fact]
    public async Task Signing_without_a_delegation_is_refused_and_appends_nothing()
    {
        var c = await _hall.AcceptedCaseAsync("T1");

        await (await _hall.SignAsync(c.Id, "market-none", "approver")).ShouldBeRefusedAsync("no-authority");

        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(2);
    }

    [Fact]
    public async Task Signing_with_an_expired_delegation_is_refused()
    {
        var c = await _hall.AcceptedCaseAsync("T1");

        await (await _hall.SignAsync(c.Id, "market-old", "approver")).ShouldBeRefusedAsync("no-authority");
    }

    [Fact]
    public async Task A_delegation_signs_until_its_last_day_and_not_after()
    {
        // market-old is delegated until 2026-02-27.
        await _hall.SetClockAsync(Hall.At(2, 27, 17));
        var onLastDay = await _hall.AcceptedCaseAsync("T1");
        await (await _hall.SignAsync(onLastDay.Id, "market-old", "approver")).ShouldBeAsync(HttpStatusCode.OK);

        await _hall.SetClockAsync(Hall.At(2, 28, 9));
        var dayAfter = await _hall.AcceptedCaseAsync("T1");
        await (await _hall.SignAsync(dayAfter.Id, "market-old", "approver")).ShouldBeRefusedAsync("no-authority");
    }

    [Fact]
    public async Task Signing_with_a_revoked_delegation_is_refused()
    {
        var c = await _hall.AcceptedCaseAsync("T1");

        await (await _hall.SignAsync(c.Id, "market-rev", "approver")).ShouldBeRefusedAsync("no-authority");
    }

    [Fact]
    public async Task A_delegation_revoked_after_it_was_used_signs_no_more()
    {
        var grant = await _hall.Manager.PostAsJsonAsync("/api/delegations", new
        {
            staffId = "market-none", departmentCode = "MARKET", matterCodes = new[] { "T1" }, tiers = new[] { "approver" },
            validFrom = "2026-03-01", validTo = "2026-03-31",
        });
        await grant.ShouldBeAsync(HttpStatusCode.Created);
        var delegationId = (await grant.ReadJsonAsync()).Str("delegationId");
        var first = await _hall.AcceptedCaseAsync("T1");
        var second = await _hall.AcceptedCaseAsync("T1");
        var otherMatter = await _hall.AcceptedCaseAsync("T2");
        await (await _hall.SignAsync(first.Id, "market-none", "approver")).ShouldBeAsync(HttpStatusCode.OK);
        // Delegated for T1 only.
        await (await _hall.SignAsync(otherMatter.Id, "market-none", "handler")).ShouldBeRefusedAsync("no-authority");

        await (await _hall.Manager.PostAsJsonAsync($"/api/delegations/{delegationId}/revocation", new { reason = "调岗" })).ShouldBeAsync(HttpStatusCode.OK);

        await (await _hall.SignAsync(second.Id, "market-none", "approver")).ShouldBeRefusedAsync("no-authority");
        (await _hall.ViewAsync(first.Id))["signatures"]![0]!.Str("delegationId").ShouldBe(delegationId);
    }

    [Fact]
    public async Task Signing_at_a_tier_the_matter_lacks_is_refused()
    {
        var c = await _hall.AcceptedCaseAsync("T1");

        await (await _hall.SignAsync(c.Id, "market-all", "handler")).ShouldBeRefusedAsync("tier-order");
        await (await _hall.SignAsync(c.Id, "market-all", "reviewer")).ShouldBeRefusedAsync("tier-order");
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(2);
    }

    [Fact]
    public async Task Signing_out_of_order_is_refused()
    {
        var c = await _hall.AcceptedCaseAsync("T3");

        await (await _hall.SignAsync(c.Id, "market-a1", "approver")).ShouldBeRefusedAsync("tier-order");
        await (await _hall.SignAsync(c.Id, "market-h1", "handler")).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.SignAsync(c.Id, "market-a1", "approver")).ShouldBeRefusedAsync("tier-order");
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(3);
    }

    [Fact]
    public async Task One_person_signs_at_most_one_tier_of_a_case()
    {
        var c = await _hall.AcceptedCaseAsync("T3");
        await (await _hall.SignAsync(c.Id, "market-all", "handler")).ShouldBeAsync(HttpStatusCode.OK);

        await (await _hall.SignAsync(c.Id, "market-all", "reviewer")).ShouldBeRefusedAsync("same-signer");

        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(3);
        await (await _hall.SignAsync(c.Id, "market-r1", "reviewer")).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.SignAsync(c.Id, "market-all", "approver")).ShouldBeRefusedAsync("same-signer");
    }

    [Fact]
    public async Task The_department_leader_signs_without_a_delegation()
    {
        var c = await _hall.AcceptedCaseAsync("T1");

        var response = await _hall.CommandAsync(_hall.Leader("market-lead", "MARKET"), c.Id, "signatures",
            new { tier = "approver", opinion = "approve", comment = "同意", onSite = true });

        await response.ShouldBeAsync(HttpStatusCode.OK);
        var signature = (await _hall.ViewAsync(c.Id))["signatures"]![0]!;
        signature["asLeader"]!.GetValue<bool>().ShouldBeTrue();
        signature["delegationId"].ShouldBeNull();
    }

    [Fact]
    public async Task The_leader_of_another_department_has_no_authority()
    {
        var c = await _hall.AcceptedCaseAsync("T1");

        var response = await _hall.CommandAsync(_hall.Leader("fire-lead", "FIRE"), c.Id, "signatures",
            new { tier = "approver", opinion = "approve", comment = "同意", onSite = true });

        await response.ShouldBeRefusedAsync("no-authority");
    }

    [Fact]
    public async Task A_denial_needs_a_reason_and_a_legal_basis_and_carries_the_rights_notice()
    {
        var c = await _hall.AcceptedCaseAsync("T1");

        await (await _hall.SignAsync(c.Id, "market-a1", "approver", "deny", reason: "场所不符合要求")).ShouldBeRefusedAsync("legal-basis-required");
        await (await _hall.SignAsync(c.Id, "market-a1", "approver", "deny", legalBasis: "《食品安全法》第三十五条")).ShouldBeRefusedAsync("reason-required");
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(2);

        var denied = await _hall.SignAsync(c.Id, "market-a1", "approver", "deny", reason: "场所不符合要求", legalBasis: "《食品安全法》第三十五条");

        await denied.ShouldBeAsync(HttpStatusCode.OK);
        (await denied.ReadJsonAsync()).Str("status").ShouldBe("denied");
        var view = await _hall.ViewAsync(c.Id);
        view.Str("outcome").ShouldBe("denied");
        view["light"].ShouldBeNull();
        var decision = (await HistoryAsync(c.Id)).Last()!;
        decision.Str("type").ShouldBe("case_denied");
        decision["data"]!.Str("rightsNotice").ShouldContain("行政复议");
        decision["data"]!.Str("legalBasis").ShouldBe("《食品安全法》第三十五条");
    }

    [Fact]
    public async Task A_return_sends_the_case_back_one_tier()
    {
        var c = await _hall.AcceptedCaseAsync("T3");
        await (await _hall.SignAsync(c.Id, "market-h1", "handler")).ShouldBeAsync(HttpStatusCode.OK);

        await (await _hall.SignAsync(c.Id, "market-r1", "reviewer", "return")).ShouldBeAsync(HttpStatusCode.OK);

        await (await _hall.SignAsync(c.Id, "market-r1", "reviewer")).ShouldBeRefusedAsync("tier-order");
        await (await _hall.SignAsync(c.Id, "market-h1", "handler")).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.SignAsync(c.Id, "market-r1", "reviewer")).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.SignAsync(c.Id, "market-a1", "approver")).ShouldBeAsync(HttpStatusCode.OK);
        (await _hall.ViewAsync(c.Id))["signatures"]!.AsArray().Select(s => s.Str("opinion"))
            .ShouldBe(["approve", "return", "approve", "approve", "approve"]);
    }

    [Fact]
    public async Task The_first_tier_cannot_return_the_case()
    {
        var c = await _hall.AcceptedCaseAsync("T2");

        await (await _hall.SignAsync(c.Id, "market-h1", "handler", "return")).ShouldBeRefusedAsync("tier-order");
    }

    [Fact]
    public async Task A_decided_case_takes_no_further_signature()
    {
        var c = await _hall.AcceptedCaseAsync("T1");
        await (await _hall.SignAsync(c.Id, "market-a1", "approver")).ShouldBeAsync(HttpStatusCode.OK);

        await (await _hall.SignAsync(c.Id, "market-all", "approver")).ShouldBeRefusedAsync("already-decided");
    }

    [Fact]
    public async Task A_case_not_yet_accepted_is_not_signed()
    {
        var c = await _hall.SubmitAsync("T1");

        await (await _hall.SignAsync(c.Id, "market-a1", "approver")).ShouldBeRefusedAsync("invalid-state");
    }

    [Fact]
    public async Task Concurrent_signatures_at_one_version_never_both_succeed()
    {
        for (var round = 0; round < 3; round++)
        {
            var c = await _hall.AcceptedCaseAsync("T2");

            var responses = await Task.WhenAll(
                _hall.SignAsync(c.Id, "market-h1", "handler"),
                _hall.SignAsync(c.Id, "market-h2", "handler"));

            responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
            responses.Single(r => r.StatusCode != HttpStatusCode.OK).StatusCode
                .ShouldBeOneOf(HttpStatusCode.UnprocessableEntity, HttpStatusCode.Conflict);
            (await HistoryAsync(c.Id)).Count(e => e.Str("type") == "signature_recorded").ShouldBe(1);
            (await _hall.StreamVersionAsync(c.Id)).ShouldBe(3);
        }
    }

    [Fact]
    public async Task Concurrent_signatures_pinned_to_one_version_give_one_200_and_one_409()
    {
        var c = await _hall.AcceptedCaseAsync("T2");

        Task<HttpResponseMessage> Sign(string staff)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/cases/{c.Id}/signatures")
            {
                Content = JsonContent.Create(new { tier = "handler", opinion = "approve", comment = "", onSite = true }),
            };
            request.Headers.IfMatch.Add(new EntityTagHeaderValue("\"2\""));
            return _hall.Signer(staff).SendAsync(request);
        }
        var responses = await Task.WhenAll(Sign("market-h1"), Sign("market-h2"));

        responses.Select(r => r.StatusCode).ShouldBe([HttpStatusCode.OK, HttpStatusCode.Conflict], ignoreOrder: true);
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(3);
    }

    [Fact]
    public async Task If_Match_with_a_stale_version_is_a_409_and_with_the_current_one_a_200_with_the_new_ETag()
    {
        var c = await _hall.AcceptedCaseAsync("T2");
        var get = await _hall.Clerk.GetAsync($"/api/cases/{c.Id}");
        get.Headers.ETag!.Tag.ShouldBe("\"2\"");

        HttpRequestMessage Sign(string etag)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/cases/{c.Id}/signatures")
            {
                Content = JsonContent.Create(new { tier = "handler", opinion = "approve", comment = "", onSite = true }),
            };
            request.Headers.TryAddWithoutValidation("If-Match", etag);
            return request;
        }

        var stale = await _hall.Signer("market-h1").SendAsync(Sign("\"1\""));
        await stale.ShouldBeAsync(HttpStatusCode.Conflict);
        stale.MediaType().ShouldBe("application/problem+json");
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(2);

        var current = await _hall.Signer("market-h1").SendAsync(Sign(get.Headers.ETag.Tag));
        await current.ShouldBeAsync(HttpStatusCode.OK);
        current.Headers.ETag!.Tag.ShouldBe("\"3\"");
        (await current.ReadJsonAsync())["version"]!.GetValue<int>().ShouldBe(3);

        await (await _hall.Signer("market-a1").SendAsync(Sign("not-a-version"))).ShouldBeInvalidAsync("If-Match");
    }

    [Fact]
    public async Task A_retried_signature_with_the_same_Idempotency_Key_appends_nothing()
    {
        var c = await _hall.AcceptedCaseAsync("T2");
        var body = new { tier = "handler", opinion = "approve", comment = "同意", onSite = true };

        var first = await _hall.Signer("market-h1").SendAsync(Http.Post($"/api/cases/{c.Id}/signatures", body, "sign-once-" + c.Id));
        var retry = await _hall.Signer("market-h1").SendAsync(Http.Post($"/api/cases/{c.Id}/signatures", body, "sign-once-" + c.Id));

        await first.ShouldBeAsync(HttpStatusCode.OK);
        await retry.ShouldBeAsync(HttpStatusCode.OK);
        (await retry.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(3);
        (await HistoryAsync(c.Id)).Count(e => e.Str("type") == "signature_recorded").ShouldBe(1);
    }

    [Fact]
    public async Task A_signature_without_tier_opinion_or_on_site_flag_is_a_400()
    {
        var c = await _hall.AcceptedCaseAsync("T1");
        var signer = _hall.Signer("market-a1");

        await (await _hall.CommandAsync(signer, c.Id, "signatures", new { opinion = "approve", onSite = true })).ShouldBeInvalidAsync("tier");
        await (await _hall.CommandAsync(signer, c.Id, "signatures", new { tier = "approver", onSite = true })).ShouldBeInvalidAsync("opinion");
        await (await _hall.CommandAsync(signer, c.Id, "signatures", new { tier = "approver", opinion = "approve" })).ShouldBeInvalidAsync("onSite");
        await (await _hall.CommandAsync(signer, c.Id, "signatures", new { tier = "boss", opinion = "approve", onSite = true })).ShouldBeInvalidAsync();
        await (await _hall.CommandAsync(signer, c.Id, "signatures", new { tier = "approver", opinion = "maybe", onSite = true })).ShouldBeInvalidAsync();
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(2);
    }

    [Fact]
    public async Task A_delegation_not_yet_in_force_gives_no_authority()
    {
        var grant = await _hall.Manager.PostAsJsonAsync("/api/delegations", new
        {
            staffId = "market-h2", departmentCode = "MARKET", matterCodes = new[] { "*" }, tiers = new[] { "approver" },
            validFrom = "2026-04-01", validTo = "2026-12-31",
        });
        await grant.ShouldBeAsync(HttpStatusCode.Created);
        var c = await _hall.AcceptedCaseAsync("T1");

        await (await _hall.SignAsync(c.Id, "market-h2", "approver")).ShouldBeRefusedAsync("no-authority");

        await _hall.SetClockAsync(Hall.At(4, 1, 9));
        await (await _hall.SignAsync(c.Id, "market-h2", "approver")).ShouldBeAsync(HttpStatusCode.OK);
    }
}
