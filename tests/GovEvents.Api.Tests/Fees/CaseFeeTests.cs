using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Fees;

public sealed class CaseFeeTests(HallHost api) : IClassFixture<HallHost>
{
    private readonly Hall _hall = api.Hall;

    private async Task<string> AcceptedCaseAsync(HttpClient? applicant = null)
    {
        await _hall.FeeItemAsync("FEE-STD", 50m);
        await _hall.FeeItemAsync("FEE-RNG", minAmount: 100m, maxAmount: 300m);
        await _hall.FeeItemAsync("FEE-OLD", 20m, reviewedYear: 2025);
        await _hall.MatterAsync("M-FEE", ["FEE-STD", "FEE-RNG"]);
        return await _hall.AcceptedOnlineCaseAsync("M-FEE", applicant);
    }

    private static object Lines(params (string Code, decimal Amount)[] lines) =>
        new { items = lines.Select(l => new { feeItemCode = l.Code, amount = l.Amount }).ToArray() };

    private async Task<string> AssessedCaseAsync(HttpClient? applicant = null)
    {
        var id = await AcceptedCaseAsync(applicant);
        await (await _hall.Cashier.PostAsJsonAsync($"/api/cases/{id}/fees", Lines(("FEE-STD", 50m), ("FEE-RNG", 100m)))).ShouldBeAsync(HttpStatusCode.OK);
        return id;
    }

    private static object Payment(decimal amount, string channel, string receipt) => new { amount, channel, receiptNumber = receipt };

    private async Task<JsonNode> FeesAsync(string id) => (await _hall.ViewAsync(id, _hall.Manager))["fees"]!;

    [Fact]
    public async Task One_payment_notice_lists_every_assessed_item_and_the_case_view_shows_the_fees()
    {
        var id = await AcceptedCaseAsync();
        var response = await _hall.Handler().PostAsJsonAsync($"/api/cases/{id}/fees", Lines(("FEE-STD", 50m), ("FEE-RNG", 100m)));
        await response.ShouldBeAsync(HttpStatusCode.OK);
        var body = await response.ReadJsonAsync();
        (body["assessed"]!.GetValue<decimal>(), body["balance"]!.GetValue<decimal>()).ShouldBe((150m, 150m));
        body["noticeNumber"]!.GetValue<string>().ShouldEndWith("-F1");

        var fees = await FeesAsync(id);
        (fees["assessed"]!.GetValue<decimal>(), fees["paid"]!.GetValue<decimal>(), fees["waived"]!.GetValue<decimal>(), fees["balance"]!.GetValue<decimal>())
            .ShouldBe((150m, 0m, 0m, 150m));
        fees["items"]!.AsArray().Select(i => i!["feeItemCode"]!.GetValue<string>()).ShouldBe(["FEE-STD", "FEE-RNG"]);
    }

    [Fact]
    public async Task Assessing_an_unpublished_item_is_refused_and_appends_nothing()
    {
        var id = await AcceptedCaseAsync();
        var before = await _hall.StreamVersionAsync(id);
        await (await _hall.Cashier.PostAsJsonAsync($"/api/cases/{id}/fees", Lines(("FEE-STD", 50m), ("FEE-NONE", 10m)))).ShouldBeRefusedAsync("fee-not-published");
        (await _hall.StreamVersionAsync(id)).ShouldBe(before);
    }

    [Fact]
    public async Task Assessing_an_item_not_reviewed_for_this_year_is_refused() =>
        await (await _hall.Cashier.PostAsJsonAsync($"/api/cases/{await AcceptedCaseAsync()}/fees", Lines(("FEE-OLD", 20m))))
            .ShouldBeRefusedAsync("fee-not-reviewed");

    [Fact]
    public async Task Assessing_a_standard_item_above_its_standard_is_refused() =>
        await (await _hall.Cashier.PostAsJsonAsync($"/api/cases/{await AcceptedCaseAsync()}/fees", Lines(("FEE-STD", 80m))))
            .ShouldBeRefusedAsync("fee-above-standard");

    [Fact]
    public async Task Assessing_a_discretionary_item_off_its_lower_bound_is_refused()
    {
        var id = await AcceptedCaseAsync();
        await (await _hall.Cashier.PostAsJsonAsync($"/api/cases/{id}/fees", Lines(("FEE-RNG", 200m)))).ShouldBeRefusedAsync("fee-not-lower-bound");
        await (await _hall.Cashier.PostAsJsonAsync($"/api/cases/{id}/fees", Lines(("FEE-RNG", 100m)))).ShouldBeAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Partial_payments_at_the_window_and_online_settle_the_balance_and_an_overpayment_is_refused()
    {
        var applicant = _hall.Applicant("payer-1");
        var id = await AssessedCaseAsync(applicant);
        var window = await _hall.Cashier.PostAsJsonAsync($"/api/cases/{id}/fees/payments", Payment(100m, "window", "R-0001"));
        await window.ShouldBeAsync(HttpStatusCode.OK);
        (await window.ReadJsonAsync())["balance"]!.GetValue<decimal>().ShouldBe(50m);

        await (await applicant.PostAsJsonAsync($"/api/cases/{id}/fees/payments", Payment(60m, "online", "R-0002"))).ShouldBeRefusedAsync("payment-exceeds-balance");
        await (await _hall.PayOnlineAsync(applicant, id, 50m, "R-0002")).ShouldBeAsync(HttpStatusCode.OK);

        var fees = await FeesAsync(id);
        (fees["paid"]!.GetValue<decimal>(), fees["balance"]!.GetValue<decimal>()).ShouldBe((150m, 0m));
        fees["payments"]!.AsArray().Select(p => p!["channel"]!.GetValue<string>()).ShouldBe(["window", "online"]);
    }

    [Fact]
    public async Task An_applicants_online_payment_is_only_started_until_the_channel_notifies_it()
    {
        var applicant = _hall.Applicant("payer-online");
        var id = await AssessedCaseAsync(applicant);

        var started = await applicant.PostAsJsonAsync($"/api/cases/{id}/fees/payments", Payment(150m, "online", "ORDER-1"));

        await started.ShouldBeAsync(HttpStatusCode.Accepted);
        var body = await started.ReadJsonAsync();
        (body["paid"]!.GetValue<decimal>(), body["balance"]!.GetValue<decimal>()).ShouldBe((0m, 150m));
        var fees = await FeesAsync(id);
        fees["paid"]!.GetValue<decimal>().ShouldBe(0m);
        fees["paymentsStarted"]!.AsArray().Single()!["receiptNumber"]!.GetValue<string>().ShouldBe("ORDER-1");
        (await api.Store.FetchStreamAsync(id)).Last().Data.GetType().Name.ShouldBe("OnlinePaymentStarted");

        var confirmed = await _hall.NotifyPaymentAsync(id, 150m, "ORDER-1");

        await confirmed.ShouldBeAsync(HttpStatusCode.OK);
        fees = await FeesAsync(id);
        (fees["paid"]!.GetValue<decimal>(), fees["balance"]!.GetValue<decimal>()).ShouldBe((150m, 0m));
        fees["paymentsStarted"]!.AsArray().ShouldBeEmpty();
        var paid = (await api.Store.FetchStreamAsync(id)).Last();
        paid.Data.GetType().Name.ShouldBe("FeePaid");
        (paid.Metadata.ActorId, paid.Metadata.ActorKind).ShouldBe(("online-payment-channel", GovEvents.Store.ActorKind.System));
    }

    [Fact]
    public async Task A_notification_not_signed_with_the_channels_secret_is_a_401_and_pays_nothing()
    {
        var id = await AssessedCaseAsync();
        var version = await _hall.StreamVersionAsync(id);
        var json = $$"""{"caseId":"{{id}}","amount":150,"receiptNumber":"FORGED-1"}""";

        (await _hall.NotifyPaymentAsync(id, 150m, "FORGED-1", secret: "not-the-channel-secret-but-just-as-long-000000")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var unsigned = new HttpRequestMessage(HttpMethod.Post, "/api/payments/online/notifications") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        var response = await _hall.Anonymous.SendAsync(unsigned);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.MediaType().ShouldBe("application/problem+json");
        // Signed for one body, sent with another (the amount raised).
        var tampered = new HttpRequestMessage(HttpMethod.Post, "/api/payments/online/notifications") { Content = new StringContent(json.Replace("150", "1"), System.Text.Encoding.UTF8, "application/json") };
        var ts = api.Clock.GetUtcNow().ToUnixTimeSeconds();
        tampered.Headers.Add("X-Payment-Timestamp", ts.ToString());
        tampered.Headers.Add("X-Payment-Signature", GovEvents.Api.Fees.OnlinePaymentNotifications.Sign(ApiHost.PaymentChannelSecret, ts, System.Text.Encoding.UTF8.GetBytes(json)));
        (await _hall.Anonymous.SendAsync(tampered)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        (await _hall.StreamVersionAsync(id)).ShouldBe(version);
        (await FeesAsync(id))["paid"]!.GetValue<decimal>().ShouldBe(0m);
    }

    [Fact]
    public async Task A_replayed_notification_is_refused_with_nothing_appended_and_a_stale_one_is_a_401()
    {
        var id = await AssessedCaseAsync();
        await (await _hall.NotifyPaymentAsync(id, 50m, "CH-1")).ShouldBeAsync(HttpStatusCode.OK);
        var version = await _hall.StreamVersionAsync(id);

        var replay = await _hall.NotifyPaymentAsync(id, 50m, "CH-1");
        replay.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await replay.ReadJsonAsync())["rule"]!.GetValue<string>().ShouldBe("notification-replayed");
        (await _hall.NotifyPaymentAsync(id, 20m, "CH-2", signedAt: api.Clock.GetUtcNow().AddMinutes(-6))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        (await _hall.StreamVersionAsync(id)).ShouldBe(version);
        (await FeesAsync(id))["paid"]!.GetValue<decimal>().ShouldBe(50m);
    }

    [Fact]
    public async Task A_receipt_number_is_used_once_per_case_and_a_retry_of_the_same_payment_appends_nothing()
    {
        var id = await AssessedCaseAsync();
        await (await _hall.Cashier.PostAsJsonAsync($"/api/cases/{id}/fees/payments", Payment(10m, "window", "R-DUP"))).ShouldBeAsync(HttpStatusCode.OK);
        var version = await _hall.StreamVersionAsync(id);
        await (await _hall.Cashier.PostAsJsonAsync($"/api/cases/{id}/fees/payments", Payment(10m, "window", "R-DUP"))).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.Cashier.PostAsJsonAsync($"/api/cases/{id}/fees/payments", Payment(20m, "window", "R-DUP"))).ShouldBeRefusedAsync("receipt-duplicate");
        (await _hall.StreamVersionAsync(id)).ShouldBe(version);
    }

    [Fact]
    public async Task A_payment_channel_paired_with_the_wrong_role_is_forbidden_and_appends_nothing()
    {
        var applicant = _hall.Applicant("payer-2");
        var id = await AssessedCaseAsync(applicant);
        var before = await _hall.StreamVersionAsync(id);
        await (await _hall.Cashier.PostAsJsonAsync($"/api/cases/{id}/fees/payments", Payment(10m, "online", "R-1"))).ShouldBeAsync(HttpStatusCode.Forbidden);
        await (await applicant.PostAsJsonAsync($"/api/cases/{id}/fees/payments", Payment(10m, "window", "R-2"))).ShouldBeAsync(HttpStatusCode.Forbidden);
        await (await _hall.Clerk.PostAsJsonAsync($"/api/cases/{id}/fees/payments", Payment(10m, "window", "R-3"))).ShouldBeAsync(HttpStatusCode.Forbidden);
        await (await _hall.Handler().PostAsJsonAsync($"/api/cases/{id}/fees/payments", Payment(10m, "window", "R-4"))).ShouldBeAsync(HttpStatusCode.Forbidden);
        (await _hall.StreamVersionAsync(id)).ShouldBe(before);
    }

    [Fact]
    public async Task An_applicant_pays_online_only_for_their_own_case() =>
        await (await _hall.Applicant("someone-else").PostAsJsonAsync($"/api/cases/{await AssessedCaseAsync()}/fees/payments",
            Payment(10m, "online", "R-1"))).ShouldBeAsync(HttpStatusCode.NotFound);

    [Fact]
    public async Task Roles_that_may_not_assess_waive_or_refund_are_forbidden()
    {
        var id = await AcceptedCaseAsync();
        await (await _hall.Applicant().PostAsJsonAsync($"/api/cases/{id}/fees", Lines(("FEE-STD", 50m)))).ShouldBeAsync(HttpStatusCode.Forbidden);
        await (await _hall.Clerk.PostAsJsonAsync($"/api/cases/{id}/fees", Lines(("FEE-STD", 50m)))).ShouldBeAsync(HttpStatusCode.Forbidden);
        await (await _hall.Inspector.PostAsJsonAsync($"/api/cases/{id}/fees/waivers",
            new { feeItemCode = "FEE-STD", amount = 10m, approvalReference = "批1", reason = "困难" })).ShouldBeAsync(HttpStatusCode.Forbidden);
        await (await _hall.Handler().PostAsJsonAsync($"/api/cases/{id}/fees/refunds", Payment(10m, "window", "T-1"))).ShouldBeAsync(HttpStatusCode.Forbidden);
        await (await api.CreateClient().PostAsJsonAsync($"/api/cases/{id}/fees", Lines(("FEE-STD", 50m)))).ShouldBeAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_waiver_without_an_approval_reference_is_refused_and_with_one_reduces_the_balance()
    {
        var id = await AssessedCaseAsync();
        var before = await _hall.StreamVersionAsync(id);
        await (await _hall.Cashier.PostAsJsonAsync($"/api/cases/{id}/fees/waivers", new { feeItemCode = "FEE-STD", amount = 50m, reason = "困难群众" }))
            .ShouldBeRefusedAsync("waiver-needs-approval");
        (await _hall.StreamVersionAsync(id)).ShouldBe(before);

        var waived = await _hall.Handler().PostAsJsonAsync($"/api/cases/{id}/fees/waivers",
            new { feeItemCode = "FEE-STD", amount = 50m, approvalReference = "减免审批〔2026〕3号", reason = "困难群众" });
        await waived.ShouldBeAsync(HttpStatusCode.OK);
        var fees = await FeesAsync(id);
        (fees["waived"]!.GetValue<decimal>(), fees["balance"]!.GetValue<decimal>()).ShouldBe((50m, 100m));
        fees["waivers"]![0]!["approvalReference"]!.GetValue<string>().ShouldBe("减免审批〔2026〕3号");
        await (await _hall.Cashier.PostAsJsonAsync($"/api/cases/{id}/fees/waivers",
            new { feeItemCode = "FEE-STD", amount = 1m, approvalReference = "减免审批〔2026〕4号", reason = "再减" })).ShouldBeRefusedAsync("waiver-exceeds-fee");
    }

    [Fact]
    public async Task Approval_with_a_balance_open_is_refused_until_the_fees_are_paid()
    {
        var id = await AssessedCaseAsync();
        var before = await _hall.StreamVersionAsync(id);
        await (await _hall.LeaderSignsAsync(id)).ShouldBeRefusedAsync("balance-open");
        (await _hall.StreamVersionAsync(id)).ShouldBe(before);

        await (await _hall.Cashier.PostAsJsonAsync($"/api/cases/{id}/fees/payments", Payment(150m, "window", "R-ALL"))).ShouldBeAsync(HttpStatusCode.OK);
        var signed = await _hall.LeaderSignsAsync(id);
        await signed.ShouldBeAsync(HttpStatusCode.OK);
        (await signed.ReadJsonAsync())["status"]!.GetValue<string>().ShouldBe("approved");
    }

    [Fact]
    public async Task A_withdrawal_with_money_paid_records_the_refund_due_and_the_cashier_pays_it_back()
    {
        var applicant = _hall.Applicant("withdrawer-1");
        var id = await AssessedCaseAsync(applicant);
        await (await _hall.Cashier.PostAsJsonAsync($"/api/cases/{id}/fees/payments", Payment(60m, "window", "R-W1"))).ShouldBeAsync(HttpStatusCode.OK);
        await (await applicant.PostAsJsonAsync($"/api/cases/{id}/withdrawal", new { reason = "不再需要" })).ShouldBeAsync(HttpStatusCode.OK);

        (await _hall.TypesAsync(id)).ShouldContain("fee_refund_due");
        var fees = await FeesAsync(id);
        (fees["balance"]!.GetValue<decimal>(), fees["refundDue"]!.GetValue<decimal>(), fees["cancelled"]!.GetValue<bool>()).ShouldBe((0m, 60m, true));
        await (await _hall.Cashier.PostAsJsonAsync($"/api/cases/{id}/fees/payments", Payment(10m, "window", "R-W2"))).ShouldBeRefusedAsync("invalid-state");

        await (await _hall.Cashier.PostAsJsonAsync($"/api/cases/{id}/fees/refunds", Payment(70m, "window", "T-W1"))).ShouldBeRefusedAsync("refund-exceeds-due");
        await (await _hall.Cashier.PostAsJsonAsync($"/api/cases/{id}/fees/refunds", Payment(60m, "window", "T-W1"))).ShouldBeAsync(HttpStatusCode.OK);
        (await FeesAsync(id))["refunded"]!.GetValue<decimal>().ShouldBe(60m);
    }

    [Fact]
    public async Task A_denial_with_money_paid_records_the_refund_due()
    {
        var id = await AssessedCaseAsync();
        await (await _hall.Cashier.PostAsJsonAsync($"/api/cases/{id}/fees/payments", Payment(100m, "window", "R-D1"))).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.LeaderSignsAsync(id, "deny")).ShouldBeAsync(HttpStatusCode.OK);
        var fees = await FeesAsync(id);
        (fees["balance"]!.GetValue<decimal>(), fees["refundDue"]!.GetValue<decimal>()).ShouldBe((0m, 100m));
    }

    [Fact]
    public async Task An_instant_approval_of_a_matter_with_fees_is_decided_by_the_system_when_the_applicant_pays_online()
    {
        await _hall.FeeItemAsync("FEE-STD", 50m);
        await _hall.MatterAsync("M-INSTANT-FEE", ["FEE-STD"], instant: true);
        var applicant = _hall.Applicant("instant-1");
        var id = await _hall.SubmitOnlineAsync("M-INSTANT-FEE", applicant);
        (await _hall.ViewAsync(id, _hall.Manager))["status"]!.GetValue<string>().ShouldBe("accepted");
        (await FeesAsync(id))["approvalAwaitingPayment"]!.GetValue<bool>().ShouldBeTrue();

        await (await _hall.Cashier.PostAsJsonAsync($"/api/cases/{id}/fees", Lines(("FEE-STD", 50m)))).ShouldBeAsync(HttpStatusCode.OK);
        var paid = await _hall.PayOnlineAsync(applicant, id, 50m, "ONLINE-1");
        await paid.ShouldBeAsync(HttpStatusCode.OK);
        (await paid.ReadJsonAsync())["status"]!.GetValue<string>().ShouldBe("licensed");
        var view = await _hall.ViewAsync(id, _hall.Manager);
        (view["outcome"]!.GetValue<string>(), view["licence"]!["licenceNumber"]!.GetValue<string>()).ShouldBe(("approved", view["caseNumber"]!.GetValue<string>() + "-L"));
    }

    [Fact]
    public async Task A_second_assessment_replaces_the_notice_until_money_moved()
    {
        var id = await AssessedCaseAsync();
        var second = await _hall.Cashier.PostAsJsonAsync($"/api/cases/{id}/fees", Lines(("FEE-STD", 50m)));
        (await second.ReadJsonAsync())["noticeNumber"]!.GetValue<string>().ShouldEndWith("-F2");
        await (await _hall.Cashier.PostAsJsonAsync($"/api/cases/{id}/fees/payments", Payment(5m, "window", "R-S1"))).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.Cashier.PostAsJsonAsync($"/api/cases/{id}/fees", Lines(("FEE-STD", 50m), ("FEE-RNG", 100m)))).ShouldBeRefusedAsync("fee-notice-locked");
    }

    [Fact]
    public async Task Bad_fee_input_is_a_400_never_a_5xx()
    {
        var id = await AssessedCaseAsync();
        var cashier = _hall.Cashier;
        await (await cashier.PostAsJsonAsync($"/api/cases/{id}/fees", new { items = Array.Empty<object>() })).ShouldBeInvalidAsync("items");
        await (await cashier.PostAsJsonAsync($"/api/cases/{id}/fees", Lines(("FEE-STD", -5m)))).ShouldBeInvalidAsync("items[0].amount");
        await (await cashier.PostAsJsonAsync($"/api/cases/{id}/fees", Lines(("FEE-STD", 50m), ("FEE-STD", 50m)))).ShouldBeInvalidAsync("items");
        await (await cashier.PostAsJsonAsync($"/api/cases/{id}/fees/payments", Payment(0m, "window", "R-1"))).ShouldBeInvalidAsync("amount");
        await (await cashier.PostAsJsonAsync($"/api/cases/{id}/fees/payments", Payment(1.234m, "window", "R-1"))).ShouldBeInvalidAsync("amount");
        await (await cashier.PostAsJsonAsync($"/api/cases/{id}/fees/payments", Payment(decimal.MaxValue, "window", "R-1"))).ShouldBeInvalidAsync("amount");
        await (await cashier.PostAsync($"/api/cases/{id}/fees/payments", Http.Json("""{ "amount": 1e40, "channel": "window", "receiptNumber": "R" }"""))).ShouldBeInvalidAsync();
        await (await cashier.PostAsJsonAsync($"/api/cases/{id}/fees/payments", new { amount = 10m, channel = "window" })).ShouldBeInvalidAsync("receiptNumber");
        await (await cashier.PostAsync($"/api/cases/{id}/fees/payments", Http.Json("""{ "amount": 10, "channel": "cash", "receiptNumber": "R" }"""))).ShouldBeInvalidAsync();
        await (await cashier.PostAsync($"/api/cases/{id}/fees/payments", Http.Json("""{ "amount": "ten" }"""))).ShouldBeInvalidAsync();
        await (await cashier.PostAsync($"/api/cases/{id}/fees", Http.Json("[1,2"))).ShouldBeInvalidAsync();
        await (await cashier.PostAsJsonAsync($"/api/cases/{id}/fees/waivers", new { amount = 10m, approvalReference = "批" })).ShouldBeInvalidAsync("feeItemCode");
        (await FeesAsync(id))["paid"]!.GetValue<decimal>().ShouldBe(0m);
    }

    [Fact]
    public async Task Fee_commands_on_an_unknown_case_are_404() =>
        await (await _hall.Cashier.PostAsJsonAsync("/api/cases/no-such-case/fees", Lines(("FEE-STD", 50m)))).ShouldBeAsync(HttpStatusCode.NotFound);
}
