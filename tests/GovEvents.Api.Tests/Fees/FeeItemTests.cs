using System.Net;
using System.Net.Http.Json;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Fees;

public sealed class FeeItemTests(HallHost api) : IClassFixture<HallHost>
{
    private readonly Hall _hall = api.Hall;

    private static object Item(string code, decimal? amount = 50m, decimal? minAmount = null, decimal? maxAmount = null, int? reviewedYear = 2026,
        string departmentCode = Hall.Department) =>
        new { code, name = "工本费", departmentCode, legalBasis = "《收费标准》", amount, minAmount, maxAmount, reviewedYear };

    [Fact]
    public async Task The_manager_publishes_fee_items_and_anyone_reads_the_catalogue_without_a_token()
    {
        var created = await _hall.Manager.PostAsJsonAsync("/api/fee-items", Item("FI-PUB"));
        await created.ShouldBeAsync(HttpStatusCode.Created);
        created.Headers.Location!.ToString().ShouldBe("/api/fee-items/FI-PUB");
        await _hall.FeeItemAsync("FI-RANGE", minAmount: 100m, maxAmount: 300m);

        var list = await (await api.CreateClient().GetAsync("/api/fee-items")).ReadJsonAsync();
        var items = list["items"]!.AsArray();
        var standard = items.Single(i => i!["code"]!.GetValue<string>() == "FI-PUB")!;
        standard["amount"]!.GetValue<decimal>().ShouldBe(50m);
        standard["assessable"]!.GetValue<bool>().ShouldBeTrue();
        var range = items.Single(i => i!["code"]!.GetValue<string>() == "FI-RANGE")!;
        (range["discretionary"]!.GetValue<bool>(), range["charge"]!.GetValue<decimal>()).ShouldBe((true, 100m));

        var one = await api.CreateClient().GetAsync("/api/fee-items/FI-PUB");
        (await one.ReadJsonAsync())["legalBasis"]!.GetValue<string>().ShouldBe("《收费标准》");
        (await api.CreateClient().GetAsync("/api/fee-items/NOPE")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Publishing_the_same_code_twice_is_a_409()
    {
        await _hall.FeeItemAsync("FI-TWICE", 10m);
        await (await _hall.Manager.PostAsJsonAsync("/api/fee-items", Item("FI-TWICE"))).ShouldBeAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Only_the_manager_publishes_reviews_and_revokes()
    {
        await _hall.FeeItemAsync("FI-ROLE", 10m);
        await (await _hall.Cashier.PostAsJsonAsync("/api/fee-items", Item("FI-X"))).ShouldBeAsync(HttpStatusCode.Forbidden);
        await (await _hall.MarketLeader.PostAsJsonAsync("/api/fee-items/FI-ROLE/reviews", new { year = 2026 })).ShouldBeAsync(HttpStatusCode.Forbidden);
        await (await _hall.Inspector.PostAsync("/api/fee-items/FI-ROLE/revocation", null)).ShouldBeAsync(HttpStatusCode.Forbidden);
        await (await api.CreateClient().PostAsJsonAsync("/api/fee-items", Item("FI-X"))).ShouldBeAsync(HttpStatusCode.Unauthorized);
        (await _hall.StreamVersionAsync("fee-item-FI-X")).ShouldBe(0);
    }

    [Fact]
    public async Task An_item_last_reviewed_last_year_becomes_assessable_with_its_review_for_this_year()
    {
        await _hall.FeeItemAsync("FI-OLD", 20m, reviewedYear: 2025);
        (await (await api.CreateClient().GetAsync("/api/fee-items/FI-OLD")).ReadJsonAsync())["assessable"]!.GetValue<bool>().ShouldBeFalse();

        var reviewed = await _hall.Manager.PostAsJsonAsync("/api/fee-items/FI-OLD/reviews", new { year = 2026 });
        await reviewed.ShouldBeAsync(HttpStatusCode.OK);
        (await reviewed.ReadJsonAsync())["status"]!.GetValue<string>().ShouldBe("reviewed");
        var item = await (await api.CreateClient().GetAsync("/api/fee-items/FI-OLD")).ReadJsonAsync();
        (item["reviewedYear"]!.GetValue<int>(), item["assessable"]!.GetValue<bool>()).ShouldBe((2026, true));
    }

    [Fact]
    public async Task A_revoked_item_is_marked_and_not_reviewed_again_and_unknown_items_are_404()
    {
        await _hall.FeeItemAsync("FI-GONE", 20m);
        await (await _hall.Manager.PostAsync("/api/fee-items/FI-GONE/revocation", null)).ShouldBeAsync(HttpStatusCode.OK);
        var item = await (await api.CreateClient().GetAsync("/api/fee-items/FI-GONE")).ReadJsonAsync();
        (item["revoked"]!.GetValue<bool>(), item["assessable"]!.GetValue<bool>()).ShouldBe((true, false));
        await (await _hall.Manager.PostAsJsonAsync("/api/fee-items/FI-GONE/reviews", new { year = 2027 })).ShouldBeRefusedAsync("fee-not-published");

        await (await _hall.Manager.PostAsJsonAsync("/api/fee-items/FI-NONE/reviews", new { year = 2026 })).ShouldBeAsync(HttpStatusCode.NotFound);
        await (await _hall.Manager.PostAsync("/api/fee-items/FI-NONE/revocation", null)).ShouldBeAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_fee_item_input_is_a_400_never_a_5xx()
    {
        var manager = _hall.Manager;
        await (await manager.PostAsJsonAsync("/api/fee-items", Item("FI-BAD", amount: 10m, minAmount: 1m, maxAmount: 20m))).ShouldBeInvalidAsync("amount");
        await (await manager.PostAsJsonAsync("/api/fee-items", Item("FI-BAD", amount: null))).ShouldBeInvalidAsync("amount");
        await (await manager.PostAsJsonAsync("/api/fee-items", Item("FI-BAD", amount: null, minAmount: 30m, maxAmount: 20m))).ShouldBeInvalidAsync("maxAmount");
        await (await manager.PostAsJsonAsync("/api/fee-items", Item("FI-BAD", amount: -1m))).ShouldBeInvalidAsync("amount");
        await (await manager.PostAsJsonAsync("/api/fee-items", Item("FI-BAD", amount: 0.001m))).ShouldBeInvalidAsync("amount");
        await (await manager.PostAsJsonAsync("/api/fee-items", Item("FI-BAD", reviewedYear: null))).ShouldBeInvalidAsync("reviewedYear");
        await (await manager.PostAsJsonAsync("/api/fee-items", Item("FI BAD"))).ShouldBeInvalidAsync("code");
        await (await manager.PostAsJsonAsync("/api/fee-items", Item("FI-BAD", departmentCode: "NOWHERE"))).ShouldBeInvalidAsync("departmentCode");
        await (await manager.PostAsync("/api/fee-items", Http.Json("""{ "code": "FI-BAD", "amount": "fifty" }"""))).ShouldBeInvalidAsync();
        await (await manager.PostAsync("/api/fee-items", Http.Json("{ not json"))).ShouldBeInvalidAsync();
        await (await manager.PostAsJsonAsync("/api/fee-items/FI-BAD/reviews", new { year = 1999 })).ShouldBeInvalidAsync("year");
        (await _hall.StreamVersionAsync("fee-item-FI-BAD")).ShouldBe(0);
    }
}
