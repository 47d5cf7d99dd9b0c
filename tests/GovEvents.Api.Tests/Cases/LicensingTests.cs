using System.Net;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Cases;

/// <summary>After the decision: instant approval (秒批), notification-commitment (告知承诺) and its post-check, licence and delivery.</summary>
public sealed class LicensingTests(HallHost api) : IClassFixture<HallHost>, IDisposable
{
    private readonly Hall _hall = api.Hall;

    public void Dispose() => api.Clock.Set(ApiHost.Start);

    [Fact]
    public async Task Instant_approval_accepts_approves_and_licenses_in_the_submit_request()
    {
        var applicant = _hall.Applicant("applicant-instant");

        var response = await _hall.SubmitRawAsync("INSTANT", ["form"], by: applicant, channel: "online");

        await response.ShouldBeAsync(HttpStatusCode.Created);
        var body = await response.ReadJsonAsync();
        body.Str("status").ShouldBe("licensed");
        var id = body.Str("id");
        var view = await _hall.ViewAsync(id, applicant);
        view.Str("status").ShouldBe("licensed");
        view.Str("outcome").ShouldBe("approved");
        view["acceptedAt"]!.GetValue<DateTimeOffset>().ShouldBe(ApiHost.Start);
        view["decidedAt"]!.GetValue<DateTimeOffset>().ShouldBe(ApiHost.Start);
        view["licence"]!.Str("licenceNumber").ShouldBe($"{body.Str("caseNumber")}-L");
        view["version"]!.GetValue<int>().ShouldBe(4);

        var history = (await (await applicant.GetAsync($"/api/cases/{id}/history")).ReadJsonAsync()).AsArray();
        history.Select(e => e.Str("type")).ShouldBe(["case_submitted", "case_accepted", "case_approved", "licence_issued"]);
        history[0]!["metadata"]!.Str("actorId").ShouldBe("applicant-instant");
        history[0]!["metadata"]!.Str("actorKind").ShouldBe("applicant");
        var approval = history[2]!;
        approval["data"]!.Str("decidedBy").ShouldBe("system");
        approval["data"]!.Str("basis").ShouldContain("INSTANT@v1");
        // The system decided: the approval is its act, in the applicant's request (one correlation).
        approval["metadata"]!.Str("actorKind").ShouldBe("system");
        approval["metadata"]!.Str("actorId").ShouldBe("system");
        approval["metadata"]!.Str("correlationId").ShouldBe(history[0]!["metadata"]!.Str("correlationId"));
    }

    [Fact]
    public async Task An_incomplete_instant_application_waits_for_the_clerk()
    {
        var c = await _hall.SubmitAsync("INSTANT", []);

        c.Status.ShouldBe("submitted");
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task A_signed_commitment_is_approved_at_acceptance_and_a_false_post_check_revokes_the_licence()
    {
        var c = await _hall.SubmitAsync("COMMIT", commitmentSigned: true);

        var accepted = await _hall.AcceptAsync(c.Id);

        accepted.Str("status").ShouldBe("approved");
        // 20 working days after Monday 2 March.
        accepted.Str("postCheckDueDate").ShouldBe("2026-03-30");
        var approved = await _hall.ViewAsync(c.Id);
        approved.Str("outcome").ShouldBe("approved");
        approved.Str("postCheckDueDate").ShouldBe("2026-03-30");

        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "licence", new { licenceNumber = "JY-2026-0001" })).ShouldBeAsync(HttpStatusCode.OK);
        (await _hall.ViewAsync(c.Id)).Str("status").ShouldBe("licensed");

        await _hall.SetClockAsync(Hall.At(3, 20, 15));
        var check = await _hall.CommandAsync(_hall.Handler(), c.Id, "post-check", new { outcome = "false", note = "现场核查：承诺不实" });

        await check.ShouldBeAsync(HttpStatusCode.OK);
        (await check.ReadJsonAsync()).Str("status").ShouldBe("revoked");
        var revoked = await _hall.ViewAsync(c.Id);
        revoked.Str("status").ShouldBe("revoked");
        revoked.Str("postCheckOutcome").ShouldBe("false");
        revoked["licence"]!["revokedAt"]!.GetValue<DateTimeOffset>().ShouldBe(Hall.At(3, 20, 15));
        revoked["light"].ShouldBeNull();
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "post-check", new { outcome = "confirmed", note = "" })).ShouldBeRefusedAsync("post-check-exists");
        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "delivery", new { method = "window" })).ShouldBeRefusedAsync("invalid-state");
    }

    [Fact]
    public async Task A_confirmed_post_check_keeps_the_licence()
    {
        var c = await _hall.SubmitAsync("COMMIT", commitmentSigned: true);
        await _hall.AcceptAsync(c.Id);
        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "licence", new { licenceNumber = "JY-2026-0002" })).ShouldBeAsync(HttpStatusCode.OK);

        var check = await _hall.CommandAsync(_hall.Handler(), c.Id, "post-check", new { outcome = "confirmed", note = "属实" });

        await check.ShouldBeAsync(HttpStatusCode.OK);
        var view = await _hall.ViewAsync(c.Id);
        view.Str("status").ShouldBe("licensed");
        view.Str("postCheckOutcome").ShouldBe("confirmed");
    }

    [Fact]
    public async Task Without_a_signed_commitment_the_commitment_matter_is_signed_as_usual()
    {
        var c = await _hall.SubmitAsync("COMMIT");

        (await _hall.AcceptAsync(c.Id)).Str("status").ShouldBe("accepted");
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "post-check", new { outcome = "confirmed", note = "" })).ShouldBeRefusedAsync("post-check-not-applicable");
    }

    [Fact]
    public async Task A_commitment_on_a_matter_without_the_commitment_procedure_changes_nothing()
    {
        var c = await _hall.SubmitAsync("T1", commitmentSigned: true);

        (await _hall.AcceptAsync(c.Id)).Str("status").ShouldBe("accepted");
    }

    [Fact]
    public async Task An_approved_case_is_licensed_and_the_licence_delivered()
    {
        var c = await _hall.AcceptedCaseAsync("T1");
        await (await _hall.SignAsync(c.Id, "market-a1", "approver")).ShouldBeAsync(HttpStatusCode.OK);
        (await _hall.ViewAsync(c.Id)).Str("licenceDueDate").ShouldBe("2026-03-16");

        var licence = await _hall.CommandAsync(_hall.Clerk, c.Id, "licence", new { licenceNumber = "SC-2026-0042", validUntil = "2031-03-01" });

        await licence.ShouldBeAsync(HttpStatusCode.OK);
        (await licence.ReadJsonAsync()).Str("status").ShouldBe("licensed");
        var licensed = await _hall.ViewAsync(c.Id);
        licensed["licence"]!.Str("licenceNumber").ShouldBe("SC-2026-0042");
        licensed["licence"]!.Str("validUntil").ShouldBe("2031-03-01");

        var delivery = await _hall.CommandAsync(_hall.Clerk, c.Id, "delivery", new { method = "electronic" });

        await delivery.ShouldBeAsync(HttpStatusCode.OK);
        var delivered = await _hall.ViewAsync(c.Id);
        delivered.Str("status").ShouldBe("delivered");
        delivered["licence"]!.Str("deliveryMethod").ShouldBe("electronic");
        delivered["closedAt"]!.GetValue<DateTimeOffset>().ShouldBe(ApiHost.Start);
        delivered["light"].ShouldBeNull();
        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "delivery", new { method = "mail" })).ShouldBeRefusedAsync("invalid-state");
    }

    [Fact]
    public async Task A_licence_needs_an_approved_case_a_number_and_a_future_expiry()
    {
        var c = await _hall.AcceptedCaseAsync("T1");

        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "licence", new { licenceNumber = "X-1" })).ShouldBeRefusedAsync("invalid-state");
        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "delivery", new { method = "window" })).ShouldBeRefusedAsync("invalid-state");
        await (await _hall.SignAsync(c.Id, "market-a1", "approver")).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "licence", new { licenceNumber = "" })).ShouldBeInvalidAsync("licenceNumber");
        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "licence", new { licenceNumber = "X-1", validUntil = "2026-03-01" })).ShouldBeRefusedAsync("licence-validity-past");
        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "delivery", new { method = "pigeon" })).ShouldBeInvalidAsync();
        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "delivery", new { })).ShouldBeInvalidAsync("method");
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(4);
    }

    [Fact]
    public async Task A_post_check_needs_its_outcome()
    {
        var c = await _hall.SubmitAsync("COMMIT", commitmentSigned: true);
        await _hall.AcceptAsync(c.Id);

        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "post-check", new { note = "" })).ShouldBeInvalidAsync("outcome");
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "post-check", new { outcome = "maybe", note = "" })).ShouldBeInvalidAsync();
    }
}
