using GovEvents.Domain.Fees;
using Shouldly;

namespace GovEvents.Domain.Tests.Fees;

public sealed class FeeCatalogueTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    private static FeeItemDefinition Standard(decimal amount = 50m) => new("F-STD", "证照工本费", "MARKET", "《收费标准》", amount, null, null);
    private static FeeItemDefinition Range(decimal min = 100m, decimal max = 300m) => new("F-RNG", "检测费", "MARKET", "《收费标准》", null, min, max);

    private static FeeItem Given(params object[] events) => events.Aggregate(new FeeItem(), FeeItem.Evolve);

    [Fact]
    public void A_definition_has_either_a_standard_amount_or_a_range()
    {
        Standard().Validate().ShouldBeEmpty();
        Range().Validate().ShouldBeEmpty();
        (Standard() with { MinAmount = 1, MaxAmount = 2 }).Validate().Keys.ShouldContain("amount");
        (Standard() with { Amount = null }).Validate().Keys.ShouldContain("amount");
        Range(300, 100).Validate().Keys.ShouldContain("maxAmount");
        Standard(-1).Validate().Keys.ShouldContain("amount");
        Standard(1.005m).Validate().Keys.ShouldContain("amount");
        Standard(1_000_000_000.01m).Validate().Keys.ShouldContain("amount");
        (Standard() with { LegalBasis = " " }).Validate().Keys.ShouldContain("legalBasis");
    }

    [Fact]
    public void A_discretionary_item_charges_its_lower_bound()
    {
        Range(120, 300).Charge.ShouldBe(120m);
        Standard(50).Charge.ShouldBe(50m);
    }

    [Fact]
    public void Publishing_twice_is_refused()
    {
        var published = Given(new FeeItemPublished("F-STD", Standard(), 2026, Now));
        FeeItem.Publish(published, Standard(), 2026, Now).Refusal!.Rule.ShouldBe(Rules.FeeItemExists);
    }

    [Fact]
    public void An_item_not_in_the_catalogue_or_revoked_is_not_published()
    {
        new FeeItem().Assessable("F-X", 2026)!.Rule.ShouldBe(Rules.FeeNotPublished);
        var revoked = Given(new FeeItemPublished("F-STD", Standard(), 2026, Now), new FeeItemRevoked("F-STD", Now));
        revoked.Assessable("F-STD", 2026)!.Rule.ShouldBe(Rules.FeeNotPublished);
    }

    [Fact]
    public void An_item_last_reviewed_before_the_current_year_is_not_reviewed_until_its_review_for_the_year()
    {
        var item = Given(new FeeItemPublished("F-STD", Standard(), 2025, Now));
        item.Assessable("F-STD", 2026)!.Rule.ShouldBe(Rules.FeeNotReviewed);
        var reviewed = FeeItem.Review(item, 2026, Now).Events.Aggregate(item, FeeItem.Evolve);
        reviewed.Assessable("F-STD", 2026).ShouldBeNull();
    }

    [Fact]
    public void A_review_for_a_year_already_covered_changes_nothing_and_a_revoked_item_is_not_reviewed()
    {
        var item = Given(new FeeItemPublished("F-STD", Standard(), 2026, Now));
        FeeItem.Review(item, 2025, Now).Events.ShouldBeEmpty();
        FeeItem.Review(item, 2026, Now).Events.ShouldBeEmpty();
        var revoked = Given(new FeeItemPublished("F-STD", Standard(), 2026, Now), new FeeItemRevoked("F-STD", Now));
        FeeItem.Review(revoked, 2027, Now).Refusal!.Rule.ShouldBe(Rules.FeeNotPublished);
        FeeItem.Review(new FeeItem(), 2026, Now).Refusal!.Rule.ShouldBe(FeeItem.NotFound);
    }

    [Fact]
    public void Revoking_twice_changes_nothing() =>
        FeeItem.Revoke(Given(new FeeItemPublished("F-STD", Standard(), 2026, Now), new FeeItemRevoked("F-STD", Now)), Now).Events.ShouldBeEmpty();
}
