using GovEvents.Domain.Catalogue;
using Shouldly;

namespace GovEvents.Domain.Tests.Catalogue;

public sealed class MatterTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    // Built afresh each time: equal content, different list instances (as after deserialising a request).
    private static MatterDefinition Definition(int tiers = 2) => new(
        "M001", "食品经营许可", MatterCategory.Licensing, "MARKET", "《食品经营许可和备案管理办法》", MatterLevel.City, ServiceObject.Both,
        20, 10, tiers,
        [new MaterialSpec("form", "申请书", true, false), new MaterialSpec("plan", "平面图", true, true)],
        ["FEE-1"], false, false, new CommitmentSpec(20), new ParallelSpec(["FIRE", "ENV"], 5),
        [new SpecialProcedure("site-inspection", "现场勘察", "第二十一条", false)]);

    private static Matter Published() => Matter.Evolve(new Matter(), Matter.Publish(new Matter(), Definition(), Now).Events.Single());

    [Fact]
    public void A_revision_identical_to_the_current_version_appends_nothing()
    {
        var decision = Matter.Revise(Published(), Definition(), Now);

        decision.IsRefused.ShouldBeFalse();
        decision.Events.ShouldBeEmpty();
    }

    [Fact]
    public void A_revision_that_changes_a_list_item_is_a_new_version()
    {
        var changed = Definition() with { Parallel = new ParallelSpec(["FIRE"], 5) };

        Matter.Revise(Published(), changed, Now).Events.Single().ShouldBeOfType<MatterRevised>().Version.ShouldBe(2);
        Matter.Revise(Published(), Definition(tiers: 3), Now).Events.Single().ShouldBeOfType<MatterRevised>().Version.ShouldBe(2);
    }

    [Fact]
    public void A_revoked_matter_is_not_revised()
    {
        var revoked = Matter.Evolve(Published(), new MatterRevoked("M001", 1, Now));

        Matter.Revise(revoked, Definition(tiers: 3), Now).Refusal!.Rule.ShouldBe(Rules.MatterRevoked);
    }
}
