using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovEvents.Api.Hosting;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shouldly;

namespace GovEvents.Api.Tests.Infrastructure;

/// <summary>A case as the submission answered it.</summary>
public sealed record CaseRef(string Id, string CaseNumber, string QueryCode, string Status);

/// <summary>
/// The seeded hall of <see cref="HallSeed"/> and what tests do with it over HTTP: clients for each
/// person, submitting, accepting, signing, reading the view, moving the dev clock, sweeping.
/// Tokens are valid from 2025 to 2030 so the dev clock may move freely within 2026.
/// </summary>
public sealed class Hall(ApiFactory api)
{
    private static readonly DateTimeOffset TokensIssuedAt = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TokenIssuer _issuer = new(api.Services.GetRequiredService<IOptions<GovEventsSettings>>(), new ManualTimeProvider(TokensIssuedAt));
    private readonly Dictionary<string, HttpClient> _clients = [];

    public ApiFactory Api => api;

    /// <summary>Delegation ids by staff member, as granted by the seed.</summary>
    public Dictionary<string, string> Delegations { get; } = [];

    public HttpClient As(string subject, string[] roles, string? departmentCode = null, string? windowCode = null)
    {
        var key = $"{subject}|{string.Join(',', roles)}|{departmentCode}|{windowCode}";
        lock (_clients)
        {
            if (_clients.TryGetValue(key, out var client)) return client;
            var token = _issuer.Issue(subject, roles, departmentCode, windowCode, TimeSpan.FromDays(5 * 365));
            return _clients[key] = ApiFactory.WithToken(api.CreateClient(), token);
        }
    }

    public HttpClient Anonymous => api.CreateClient();
    public HttpClient Manager => As("manager-1", [Roles.Manager], "HALL");
    public HttpClient Clerk => As("clerk-1", [Roles.Clerk], "HALL", "ZH-01");
    public HttpClient Inspector => As("inspector-1", [Roles.Inspector], "HALL");
    public HttpClient Auditor => As("auditor-1", [Roles.Auditor], "HALL");
    public HttpClient Applicant(string id = "applicant-1") => As(id, [Roles.Applicant]);
    public HttpClient Agent(string id = "agent-1") => As(id, [Roles.Agent], "HALL");

    /// <summary>A signer of the MARKET department with every signing role on the token (authority is the domain's).</summary>
    public HttpClient Signer(string staffId, string departmentCode = "MARKET") =>
        As(staffId, [Roles.Handler, Roles.Reviewer, Roles.Approver], departmentCode);

    public HttpClient Handler(string staffId = "market-h1", string departmentCode = "MARKET") => As(staffId, [Roles.Handler], departmentCode);
    public HttpClient Leader(string staffId, string departmentCode) => As(staffId, [Roles.Leader], departmentCode);

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
