using System.Net;
using System.Net.Http.Json;
using GovEvents.Api.Demo;

namespace GovEvents.Api.Tests.Infrastructure;

/// <summary>
/// A small hall, set up through the API as the manager: the 2026 calendar; departments HALL, MARKET,
/// FIRE and ENV with their leaders; the comprehensive window ZH-01 (clerk-1); MARKET staff with
/// delegations (h1, h2 handlers, r1 reviewer, a1 approver, "all" for every tier, "old" expired on
/// 2026-02-27, "rev" revoked, "none" without any); and MARKET matters:
/// <list type="bullet">
/// <item>T1, T2, T3: 1, 2 and 3 tiers; T3 with a deferrable mandatory material and two special
/// procedures (site-inspection stops the clock, public-notice counts toward the limit)</item>
/// <item>INSTANT: instant approval (秒批); COMMIT: notification-commitment (告知承诺), post-check in 20 days</item>
/// <item>PARALLEL: one tier, parallel review with FIRE and ENV, opinions in 5 working days</item>
/// <item>FIRE-1: a one-tier matter of FIRE</item>
/// </list>
/// </summary>
public static class HallSeed
{
    public static readonly string[] Departments = ["HALL", "MARKET", "FIRE", "ENV"];

    /// <summary>Every mandatory material of a seeded matter.</summary>
    public static string[] CompleteMaterials(string matterCode) => matterCode switch
    {
        "T3" or "COMMIT" => ["form", "plan"],
        _ => ["form"],
    };

    public static async Task SeedAsync(Hall hall)
    {
        var m = hall.Manager;

        await Ok(m.PutAsJsonAsync("/api/calendar/2026", new { holidays = DemoData.Holidays2026, workdays = DemoData.Workdays2026 }));
        foreach (var d in Departments)
            await Created(m.PostAsJsonAsync("/api/departments", new { code = d, name = $"{d} department", leaderStaffId = $"{d.ToLowerInvariant()}-lead" }));
        await Created(m.PostAsJsonAsync("/api/windows", new { code = "ZH-01", name = "综合受理窗口一", kind = "comprehensive", departmentCode = "HALL", staffA = "clerk-1", staffB = "clerk-2" }));
        await Created(m.PostAsJsonAsync("/api/windows", new { code = "MKT-01", name = "市场监管窗口", kind = "department", departmentCode = "MARKET", staffA = "market-h1" }));

        var staff = new List<(string Id, string Dept, string? Window)>
        {
            ("clerk-1", "HALL", "ZH-01"), ("clerk-2", "HALL", "ZH-01"), ("agent-1", "HALL", null), ("manager-1", "HALL", null),
            ("market-h1", "MARKET", "MKT-01"), ("market-h2", "MARKET", null), ("market-r1", "MARKET", null), ("market-a1", "MARKET", null),
            ("market-all", "MARKET", null), ("market-old", "MARKET", null), ("market-rev", "MARKET", null), ("market-none", "MARKET", null),
            ("fire-h1", "FIRE", null), ("env-h1", "ENV", null),
        };
        staff.AddRange(Departments.Select(d => ($"{d.ToLowerInvariant()}-lead", d, (string?)null)));
        foreach (var (id, dept, window) in staff)
            await Created(m.PostAsJsonAsync("/api/staff", new { id, name = id, departmentCode = dept, windowCode = window }));

        var year = (From: new DateOnly(2026, 1, 1), To: new DateOnly(2026, 12, 31));
        await Delegate(hall, "market-h1", ["handler"], year);
        await Delegate(hall, "market-h2", ["handler"], year);
        await Delegate(hall, "market-r1", ["reviewer"], year);
        await Delegate(hall, "market-a1", ["approver"], year);
        await Delegate(hall, "market-all", ["handler", "reviewer", "approver"], year);
        await Delegate(hall, "market-old", ["handler", "reviewer", "approver"], (new DateOnly(2025, 1, 1), new DateOnly(2026, 2, 27)));
        await Delegate(hall, "market-rev", ["handler", "reviewer", "approver"], year);
        await Ok(m.PostAsJsonAsync($"/api/delegations/{hall.Delegations["market-rev"]}/revocation", new { reason = "transferred to another post" }));

        object[] basic = [new { code = "form", name = "申请书", mandatory = true, deferrable = false }];
        await Publish(m, "T1", 1, basic);
        await Publish(m, "T2", 2, basic);
        await Publish(m, "T3", 3,
        [
            new { code = "form", name = "申请书", mandatory = true, deferrable = false },
            new { code = "plan", name = "场所平面图", mandatory = true, deferrable = true },
            new { code = "health", name = "健康证明", mandatory = false, deferrable = false },
        ], specialProcedures: new object[]
        {
            new { code = "site-inspection", name = "现场勘察", legalBasis = "《食品经营许可和备案管理办法》第二十一条", countsTowardLimit = false },
            new { code = "public-notice", name = "批前公示", legalBasis = "《城乡规划法》第二十六条", countsTowardLimit = true },
        });
        await Publish(m, "INSTANT", 1, basic, instantApproval: true);
        await Publish(m, "COMMIT", 2,
        [
            new { code = "form", name = "申请书", mandatory = true, deferrable = false },
            new { code = "plan", name = "场所平面图", mandatory = true, deferrable = true },
        ], commitment: new { postCheckDays = 20 });
        await Publish(m, "PARALLEL", 1, basic, parallel: new { participants = new[] { "FIRE", "ENV" }, opinionDays = 5 });
        await Created(m.PostAsJsonAsync("/api/matters", MatterBody("FIRE-1", 1, basic, departmentCode: "FIRE")));
    }

    private static async Task Delegate(Hall hall, string staffId, string[] tiers, (DateOnly From, DateOnly To) valid)
    {
        var response = await hall.Manager.PostAsJsonAsync("/api/delegations", new
        {
            staffId, departmentCode = "MARKET", matterCodes = new[] { "*" }, tiers, validFrom = valid.From, validTo = valid.To,
        });
        await response.ShouldBeAsync(HttpStatusCode.Created);
        hall.Delegations[staffId] = (await response.ReadJsonAsync()).Str("delegationId");
    }

    public static object MatterBody(string code, int tiers, object[] materials, bool instantApproval = false, object? commitment = null,
        object? parallel = null, object[]? specialProcedures = null, string name = "测试事项", int statutoryDays = 20, int promisedDays = 10,
        string departmentCode = "MARKET") => new
    {
        code, name = $"{name} {code}", category = "licensing", departmentCode, legalBasis = "《中华人民共和国行政许可法》",
        level = "city", serviceObject = "both", statutoryDays, promisedDays, tiers, materials, feeItemCodes = Array.Empty<string>(),
        onTheSpot = false, instantApproval, commitment, parallel, specialProcedures = specialProcedures ?? [],
    };

    private static Task Publish(HttpClient m, string code, int tiers, object[] materials, bool instantApproval = false, object? commitment = null,
        object? parallel = null, object[]? specialProcedures = null) =>
        Created(m.PostAsJsonAsync("/api/matters", MatterBody(code, tiers, materials, instantApproval, commitment, parallel, specialProcedures)));

    private static async Task Created(Task<HttpResponseMessage> request) => await (await request).ShouldBeAsync(HttpStatusCode.Created);
    private static async Task Ok(Task<HttpResponseMessage> request) => await (await request).ShouldBeAsync(HttpStatusCode.OK);
}
