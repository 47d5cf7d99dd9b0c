using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovEvents.Api.Hosting.Auth;
using Shouldly;

namespace GovEvents.Api.Tests.Infrastructure;

/// <summary>
/// A small hall for HTTP tests through the real endpoints: the MARKET department (its leader
/// signs without a delegation), a comprehensive window and its clerk, fee items, one-tier
/// matters, cases submitted online and accepted, and clients for each role.
/// </summary>
public sealed class TestHall(ApiFactory api)
{
    public const string Department = "MARKET";
    public const string LeaderId = "market-lead";
    public const string Window = "ZH-01";
    public const string ClerkId = "clerk-1";

    public HttpClient Manager => api.CreateClientFor("manager-1", [Roles.Manager]);
    public HttpClient Cashier => api.CreateClientFor("cashier-1", [Roles.Cashier]);
    public HttpClient Handler => api.CreateClientFor("market-h1", [Roles.Handler], Department);
    public HttpClient Clerk => api.CreateClientFor(ClerkId, [Roles.Clerk]);
    public HttpClient Leader => api.CreateClientFor(LeaderId, [Roles.Leader, Roles.Approver], Department);
    public HttpClient Inspector => api.CreateClientFor("inspector-1", [Roles.Inspector]);
    public HttpClient Applicant(string subject = "applicant-1") => api.CreateClientFor(subject, [Roles.Applicant]);
    public HttpClient Agent(string subject = "agent-1") => api.CreateClientFor(subject, [Roles.Agent]);

    private bool _organised;

    /// <summary>The department, window and staff, once per host (a second call finds them there).</summary>
    public async Task OrganiseAsync()
    {
        if (_organised) return;
        var manager = Manager;
        await Created(manager.PostAsJsonAsync("/api/departments", new { code = Department, name = "市场监督管理局", leaderStaffId = LeaderId }));
        await Created(manager.PostAsJsonAsync("/api/departments", new { code = "HALL", name = "大厅管理办" }));
        await Created(manager.PostAsJsonAsync("/api/windows", new { code = Window, name = "综合受理窗口一", kind = "comprehensive", departmentCode = "HALL" }));
        await Created(manager.PostAsJsonAsync("/api/staff", new { id = ClerkId, name = "刘受理", departmentCode = "HALL", windowCode = Window }));
        await Created(manager.PostAsJsonAsync("/api/staff", new { id = "market-h1", name = "市场承办甲", departmentCode = Department }));
        _organised = true;
    }

    private static async Task Created(Task<HttpResponseMessage> post)
    {
        var response = await post;
        if (response.StatusCode != HttpStatusCode.Conflict)
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    public async Task FeeItemAsync(string code, decimal? amount = null, decimal? minAmount = null, decimal? maxAmount = null, int reviewedYear = 2026)
    {
        await OrganiseAsync();
        await Created(Manager.PostAsJsonAsync("/api/fee-items", new
        {
            code, name = $"{code} 收费", departmentCode = Department, legalBasis = "《行政事业性收费标准》", amount, minAmount, maxAmount, reviewedYear,
        }));
    }

    /// <summary>A one-tier matter of MARKET (the approver's signature decides) with one mandatory material.</summary>
    public async Task MatterAsync(string code, string[]? feeItemCodes = null, bool instant = false, int? commitmentPostCheckDays = null)
    {
        await OrganiseAsync();
        await Created(Manager.PostAsJsonAsync("/api/matters", new
        {
            code, name = $"{code} 事项", category = "licensing", departmentCode = Department, legalBasis = "《行政许可法》", level = "city",
            serviceObject = "both", statutoryDays = 20, promisedDays = 10, tiers = 1,
            materials = new[] { new { code = "application-form", name = "申请书", mandatory = true, deferrable = false } },
            feeItemCodes = feeItemCodes ?? [], onTheSpot = false, instantApproval = instant,
            commitment = commitmentPostCheckDays is { } days ? new { postCheckDays = days } : null,
        }));
    }

    /// <summary>Submitted online by <paramref name="applicant"/> (default applicant-1); returns the case id.</summary>
    public async Task<string> SubmitAsync(string matterCode, HttpClient? applicant = null, bool commitmentSigned = false)
    {
        var response = await (applicant ?? Applicant()).PostAsJsonAsync("/api/cases", new
        {
            matterCode,
            applicant = new { kind = "person", name = "张三", idNumber = "110101199001011234", phone = "13800000000" },
            channel = "online", materials = new[] { "application-form" }, commitmentSigned,
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadJsonAsync())["id"]!.GetValue<string>();
    }

    public async Task AcceptAsync(string caseId)
    {
        var response = await Clerk.PostAsJsonAsync($"/api/cases/{caseId}/acceptance", new { });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    public async Task<string> AcceptedCaseAsync(string matterCode, HttpClient? applicant = null)
    {
        var id = await SubmitAsync(matterCode, applicant);
        await AcceptAsync(id);
        return id;
    }

    /// <summary>The final (approver) tier's signature, by the department's leader.</summary>
    public Task<HttpResponseMessage> SignAsync(string caseId, string opinion = "approve") =>
        Leader.PostAsJsonAsync($"/api/cases/{caseId}/signatures", new
        {
            tier = "approver", opinion, comment = "同意", onSite = true,
            reason = opinion == "deny" ? "不符合许可条件" : null, legalBasis = opinion == "deny" ? "《行政许可法》第三十八条" : null,
        });

    public async Task<JsonNode> CaseAsync(string caseId)
    {
        var response = await Manager.GetAsync($"/api/cases/{caseId}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadJsonAsync();
    }

    /// <summary>The stream's version straight from the store (what a refused command must leave unchanged).</summary>
    public async Task<int> VersionAsync(string streamId) => await api.Store.StreamVersionAsync(streamId) ?? 0;

    /// <summary>Events of a stream by their stored type alias.</summary>
    public async Task<IReadOnlyList<string>> TypesAsync(string streamId) => [.. (await api.Store.FetchStreamAsync(streamId)).Select(e => e.Type)];

    public async Task CaughtUpAsync() =>
        (await Manager.GetAsync("/api/admin/projections/caught-up?timeout=10")).StatusCode.ShouldBe(HttpStatusCode.OK);

    public async Task SweepAsync() =>
        (await api.CreateClient().PostAsync("/api/dev/sweep", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
}
