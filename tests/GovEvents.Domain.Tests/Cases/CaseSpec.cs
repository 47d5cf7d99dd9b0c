using GovEvents.Domain.Cases;
using GovEvents.Domain.Catalogue;
using GovEvents.Domain.Organisation;
using Shouldly;
using Case = GovEvents.Domain.Cases.Case;

namespace GovEvents.Domain.Tests.Cases;

/// <summary>Given(events).When(command).Then(events | refusal) for the case decider.</summary>
public abstract class CaseSpec
{
    protected const string Id = "case-1";
    protected static readonly TimeSpan Zone = TimeSpan.FromHours(8);

    protected static MatterDefinition MatterDef(int tiers = 3, bool instant = false, CommitmentSpec? commitment = null,
        ParallelSpec? parallel = null, int promised = 10, int statutory = 20) => new(
        "M001", "食品经营许可", MatterCategory.Licensing, "MARKET", "《食品经营许可管理办法》", MatterLevel.City, ServiceObject.Both,
        statutory, promised, tiers,
        [new MaterialSpec("application-form", "申请书", true, false), new MaterialSpec("site-plan", "场所平面图", true, true),
         new MaterialSpec("health-cert", "健康证明", false, false)],
        [], false, instant, commitment, parallel,
        [new SpecialProcedure("site-inspection", "现场勘察", "《食品经营许可管理办法》第二十一条", false),
         new SpecialProcedure("public-notice", "公示", "规定", true)]);

    protected static Matter MatterOf(MatterDefinition def, bool revoked = false) => new(def, 2, revoked);

    protected static CaseClock At(int month, int day, int hour = 10) =>
        new(new DateTimeOffset(2026, month, day, hour, 0, 0, Zone), new DateOnly(2026, month, day), Calendar2026.Calendar);

    protected static CaseSubmitted Submitted(MatterDefinition? def = null, string[]? materials = null, bool commitment = false, int month = 3, int day = 2) =>
        new(Id, "2026-000001", QueryCodeHash.Of("123456", new byte[QueryCodeHash.SaltBytes]), 2, def ?? MatterDef(), new Applicant(ApplicantKind.Person, "张三", "110101199001011234", "13800000000"),
            Channel.Window, materials ?? ["application-form", "site-plan"], null, "applicant-1", commitment, "W01",
            new DateTimeOffset(2026, month, day, 9, 0, 0, Zone), new DateOnly(2026, month, day),
            Calendar2026.Calendar.AddWorkingDays(new DateOnly(2026, month, day), 5));

    protected static CaseAccepted Accepted(int month = 3, int day = 3) =>
        new(Id, [], new DateOnly(2026, month, day), Calendar2026.Calendar.AddWorkingDays(new DateOnly(2026, month, day), 10),
            Calendar2026.Calendar.AddWorkingDays(new DateOnly(2026, month, day), 20), new DateTimeOffset(2026, month, day, 10, 0, 0, Zone));

    protected static Delegation Delegated(string staff, Tier tier, DateOnly? from = null, DateOnly? to = null, DateTimeOffset? revokedAt = null, string matter = "*") =>
        new(new DelegationGranted($"del-{staff}-{tier}", staff, "MARKET", [matter], [tier],
            from ?? new DateOnly(2026, 1, 1), to ?? new DateOnly(2026, 12, 31), new DateTimeOffset(2026, 1, 1, 0, 0, 0, Zone)), revokedAt);

    protected static SignCase Sign(Tier tier, string signer, Opinion opinion = Opinion.Approve, Delegation[]? delegations = null,
        string? leader = null, string? reason = null, string? legalBasis = null, bool onSite = true) =>
        new(tier, signer, opinion, "ok", onSite, reason, legalBasis, delegations ?? [Delegated(signer, tier)], leader);

    protected static Case Given(params object[] events) => events.Aggregate(Case.Initial, Case.Evolve);

    protected static void ThenRefused(Decision d, string rule)
    {
        d.IsRefused.ShouldBeTrue($"expected a refusal '{rule}'");
        d.Refusal!.Rule.ShouldBe(rule);
        d.Events.ShouldBeEmpty();
    }

    protected static T Then<T>(Decision d, int index = 0)
    {
        d.IsRefused.ShouldBeFalse(d.Refusal?.Detail);
        return d.Events[index].ShouldBeOfType<T>();
    }
}
