using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovEvents.Api.Hosting;
using GovEvents.Api.Hosting.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Shouldly;

namespace GovEvents.Api.Tests.Infrastructure;

/// <summary>A case as the submission answered it.</summary>
public sealed record CaseRef(string Id, string CaseNumber, string QueryCode, string Status);

/// <summary>
/// The one helper API of HTTP tests, over an <see cref="ApiHost"/> (seeded by <see cref="HallSeed"/>
/// when the host is a <see cref="HallHost"/>): clients for each person, publishing matters and fee
/// items, submitting, accepting, signing, reading the view, moving the dev clock, sweeping.
/// Tokens are valid from 2025 to 2030 so the dev clock may move freely within 2026.
/// </summary>
public sealed class Hall(ApiHost api)
{
    public const string Department = "MARKET";
    public const string LeaderId = "market-lead";
    public const string Window = "ZH-01";
    public const string ClerkId = "clerk-1";

    private static readonly DateTimeOffset TokensIssuedAt = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TokenIssuer _issuer = new(api.Services.GetRequiredService<IOptions<GovEventsSettings>>(), new FakeTimeProvider(TokensIssuedAt));
    private readonly Dictionary<string, HttpClient> _clients = [];

    public ApiHost Api => api;

    /// <summary>Delegation ids by staff member, as granted by the seed.</summary>
    public Dictionary<string, string> Delegations { get; } = [];

    /// <summary>A token as <paramref name="subject"/> (cached per claims), for clients and scenarios alike.</summary>
    public string TokenFor(string subject, string[] roles, string? departmentCode = null, string? windowCode = null) =>
        _issuer.Issue(subject, roles, departmentCode, windowCode, TimeSpan.FromDays(5 * 365));

    public HttpClient As(string subject, string[] roles, string? departmentCode = null, string? windowCode = null)
    {
        var key = $"{subject}|{string.Join(',', roles)}|{departmentCode}|{windowCode}";
        lock (_clients)
        {
            if (_clients.TryGetValue(key, out var client)) return client;
            return _clients[key] = ApiHost.WithToken(api.CreateClient(), TokenFor(subject, roles, departmentCode, windowCode));
        }
    }

    public HttpClient Anonymous => api.CreateClient();
    public HttpClient Manager => As("manager-1", [Roles.Manager], "HALL");
    public HttpClient Clerk => As(ClerkId, [Roles.Clerk], "HALL", Window);
    public HttpClient Inspector => As("inspector-1", [Roles.Inspector], "HALL");
    public HttpClient Auditor => As("auditor-1", [Roles.Auditor], "HALL");
    public HttpClient Cashier => As("cashier-1", [Roles.Cashier]);
    public HttpClient Applicant(string id = "applicant-1") => As(id, [Roles.Applicant]);
    public HttpClient Agent(string id = "agent-1") => As(id, [Roles.Agent], "HALL");

    /// <summary>A signer of the MARKET department with every signing role on the token (authority is the domain's).</summary>
    public HttpClient Signer(string staffId, string departmentCode = Department) =>
        As(staffId, [Roles.Handler, Roles.Reviewer, Roles.Approver], departmentCode);

    public HttpClient Handler(string staffId = "market-h1", string departmentCode = Department) => As(staffId, [Roles.Handler], departmentCode);
    public HttpClient Leader(string staffId, string departmentCode) => As(staffId, [Roles.Leader], departmentCode);

    /// <summary>MARKET's leader, also an approver: signs the final tier without a delegation.</summary>
    public HttpClient MarketLeader => As(LeaderId, [Roles.Leader, Roles.Approver], Department);

    public static object Person(string name = "张三", string idNumber = "110101199001011234") =>
        new { kind = "person", name, idNumber, phone = "13800000000" };

    public async Task<HttpResponseMessage> SubmitRawAsync(string matterCode, string[]? materials = null, HttpClient? by = null,
        string channel = "window", string? agentStaffId = null, bool? commitmentSigned = null, object? applicant = null) =>
        await (by ?? Clerk).PostAsJsonAsync("/api/cases", new
        {
            matterCode, applicant = applicant ?? Person(), channel, materials = materials ?? HallSeed.CompleteMaterials(matterCode),
            agentStaffId, commitmentSigned,
        });

    public async Task<CaseRef> SubmitAsync(string matterCode, string[]? materials = null, HttpClient? by = null,
        string channel = "window", string? agentStaffId = null, bool? commitmentSigned = null)
    {
        var response = await SubmitRawAsync(matterCode, materials, by, channel, agentStaffId, commitmentSigned);
        await response.ShouldBeAsync(HttpStatusCode.Created);
        var body = await response.ReadJsonAsync();
        return new CaseRef(body["id"]!.GetValue<string>(), body["caseNumber"]!.GetValue<string>(), body["queryCode"]!.GetValue<string>(),
            body["status"]!.GetValue<string>());
    }

    /// <summary>
    /// The unified online payment channel's notification that <paramref name="amount"/> was paid on the case,
    /// signed as the channel signs (by default with the host's shared secret, at the server clock's now).
    /// </summary>
    public Task<HttpResponseMessage> NotifyPaymentAsync(string caseId, decimal amount, string receiptNumber,
        string secret = ApiHost.PaymentChannelSecret, DateTimeOffset? signedAt = null, string? body = null)
    {
        var json = body ?? System.Text.Json.JsonSerializer.Serialize(new { caseId, amount, receiptNumber });
        var timestamp = (signedAt ?? api.Clock.GetUtcNow()).ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/online/notifications")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(GovEvents.Api.Fees.OnlinePaymentNotifications.TimestampHeader, timestamp.ToString());
        request.Headers.Add(GovEvents.Api.Fees.OnlinePaymentNotifications.SignatureHeader,
            GovEvents.Api.Fees.OnlinePaymentNotifications.Sign(secret, timestamp, System.Text.Encoding.UTF8.GetBytes(json)));
        return Anonymous.SendAsync(request);
    }

    /// <summary>The applicant starts paying online and the channel confirms it.</summary>
    public async Task<HttpResponseMessage> PayOnlineAsync(HttpClient applicant, string caseId, decimal amount, string receiptNumber)
    {
        var started = await applicant.PostAsJsonAsync($"/api/cases/{caseId}/fees/payments", new { amount, channel = "online", receiptNumber });
        if (started.StatusCode != HttpStatusCode.Accepted) return started;
        return await NotifyPaymentAsync(caseId, amount, receiptNumber);
    }

    public Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object? body = null) =>
        client.PostAsJsonAsync(path, body ?? new { });

    /// <summary>Posts a case command as <paramref name="client"/>: <c>Command(id, "acceptance", body)</c>.</summary>
    public Task<HttpResponseMessage> CommandAsync(HttpClient client, string caseId, string command, object? body = null) =>
        PostAsync(client, $"/api/cases/{caseId}/{command}", body);

    public async Task<JsonNode> AcceptAsync(string caseId, object? body = null)
    {
        var response = await CommandAsync(Clerk, caseId, "acceptance", body);
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return await response.ReadJsonAsync();
    }

    public Task<HttpResponseMessage> SignAsync(string caseId, string staffId, string tier, string opinion = "approve",
        string? reason = null, string? legalBasis = null, bool onSite = true) =>
        CommandAsync(Signer(staffId), caseId, "signatures", new { tier, opinion, comment = $"{tier} {opinion}", onSite, reason, legalBasis });

    /// <summary>Submits (complete), accepts and returns a case of <paramref name="matterCode"/> ready for signatures.</summary>
    public async Task<CaseRef> AcceptedCaseAsync(string matterCode, HttpClient? by = null)
    {
        var c = await SubmitAsync(matterCode, by: by);
        await AcceptAsync(c.Id);
        return c;
    }

    public async Task<JsonNode> ViewAsync(string caseId, HttpClient? by = null)
    {
        var response = await (by ?? Clerk).GetAsync($"/api/cases/{caseId}");
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return await response.ReadJsonAsync();
    }

    /// <summary>The case stream's version straight from the store (0: no stream).</summary>
    public async Task<int> StreamVersionAsync(string streamId) =>
        await api.Store.StreamVersionAsync(streamId) ?? 0;

    public async Task SetClockAsync(DateTimeOffset now) =>
        await (await api.CreateClient().PutAsJsonAsync("/api/dev/clock", new { now })).ShouldBeAsync(HttpStatusCode.OK);

    public async Task<JsonNode> SweepAsync()
    {
        var response = await api.CreateClient().PostAsync("/api/dev/sweep", null);
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return await response.ReadJsonAsync();
    }

    /// <summary>Waits until the async projections (work queue, public lookup) have caught up.</summary>
    public async Task CaughtUpAsync() =>
        await (await Inspector.GetAsync("/api/admin/projections/caught-up?timeout=10")).ShouldBeAsync(HttpStatusCode.OK);

    /// <summary>Events of a stream by their stored type alias.</summary>
    public async Task<IReadOnlyList<string>> TypesAsync(string streamId) => [.. (await api.Store.FetchStreamAsync(streamId)).Select(e => e.Type)];

    /// <summary>A fee item of MARKET, unless a test of the class published it already.</summary>
    public async Task FeeItemAsync(string code, decimal? amount = null, decimal? minAmount = null, decimal? maxAmount = null, int reviewedYear = 2026) =>
        await CreatedOrThere(Manager.PostAsJsonAsync("/api/fee-items", new
        {
            code, name = $"{code} 收费", departmentCode = Department, legalBasis = "《行政事业性收费标准》", amount, minAmount, maxAmount, reviewedYear,
        }));

    /// <summary>
    /// A one-tier matter of MARKET (the approver's signature decides) with one mandatory material,
    /// unless a test of the class published it already.
    /// </summary>
    public async Task MatterAsync(string code, string[]? feeItemCodes = null, bool instant = false, int? commitmentPostCheckDays = null) =>
        await CreatedOrThere(Manager.PostAsJsonAsync("/api/matters", new
        {
            code, name = $"{code} 事项", category = "licensing", departmentCode = Department, legalBasis = "《行政许可法》", level = "city",
            serviceObject = "both", statutoryDays = 20, promisedDays = 10, tiers = 1,
            materials = new[] { new { code = "form", name = "申请书", mandatory = true, deferrable = false } },
            feeItemCodes = feeItemCodes ?? [], onTheSpot = false, instantApproval = instant,
            commitment = commitmentPostCheckDays is { } days ? new { postCheckDays = days } : null,
        }));

    /// <summary>Submitted online, complete, by <paramref name="applicant"/> (default applicant-1); returns the case id.</summary>
    public async Task<string> SubmitOnlineAsync(string matterCode, HttpClient? applicant = null, bool commitmentSigned = false) =>
        (await SubmitAsync(matterCode, by: applicant ?? Applicant(), channel: "online", commitmentSigned: commitmentSigned)).Id;

    /// <summary>Submitted online by <paramref name="applicant"/> and accepted by the clerk; returns the case id.</summary>
    public async Task<string> AcceptedOnlineCaseAsync(string matterCode, HttpClient? applicant = null)
    {
        var id = await SubmitOnlineAsync(matterCode, applicant);
        await AcceptAsync(id);
        return id;
    }

    /// <summary>The final (approver) tier's signature, by MARKET's leader.</summary>
    public Task<HttpResponseMessage> LeaderSignsAsync(string caseId, string opinion = "approve") =>
        CommandAsync(MarketLeader, caseId, "signatures", new
        {
            tier = "approver", opinion, comment = "同意", onSite = true,
            reason = opinion == "deny" ? "不符合许可条件" : null, legalBasis = opinion == "deny" ? "《行政许可法》第三十八条" : null,
        });

    private static async Task CreatedOrThere(Task<HttpResponseMessage> post)
    {
        var response = await post;
        if (response.StatusCode != HttpStatusCode.Conflict) await response.ShouldBeAsync(HttpStatusCode.Created);
    }

    public static DateTimeOffset At(int month, int day, int hour = 9, int minute = 0) =>
        new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8));
}

public static class ResponseAssertions
{
    /// <summary>Asserts the status, showing the body when it differs.</summary>
    public static async Task ShouldBeAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
            response.StatusCode.ShouldBe(status, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Asserts a 422 refusal with <paramref name="rule"/>, as problem details.</summary>
    public static async Task ShouldBeRefusedAsync(this HttpResponseMessage response, string rule)
    {
        await response.ShouldBeAsync(HttpStatusCode.UnprocessableEntity);
        response.MediaType().ShouldBe("application/problem+json");
        (await response.ReadJsonAsync())["rule"]!.GetValue<string>().ShouldBe(rule);
    }

    /// <summary>Asserts a 400 problem whose <c>errors</c> name <paramref name="field"/> (when given).</summary>
    public static async Task ShouldBeInvalidAsync(this HttpResponseMessage response, string? field = null)
    {
        await response.ShouldBeAsync(HttpStatusCode.BadRequest);
        response.MediaType().ShouldBe("application/problem+json");
        var errors = (await response.ReadJsonAsync())["errors"].ShouldNotBeNull().AsObject();
        errors.Count.ShouldBeGreaterThan(0);
        if (field is not null)
            errors.Select(e => e.Key).ShouldContain(k => k.Equals(field, StringComparison.OrdinalIgnoreCase) || k.Contains(field, StringComparison.OrdinalIgnoreCase),
                $"errors: {errors.ToJsonString()}");
    }

    public static string Str(this JsonNode? node, string name) => node![name]!.GetValue<string>();
}
