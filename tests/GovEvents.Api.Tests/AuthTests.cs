using System.Net;
using Alba;
using GovEvents.Api.Hosting;
using GovEvents.Api.Hosting.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using GovEvents.Api.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shouldly;

namespace GovEvents.Api.Tests;

// The dev clock is shared by the class's host: these tests must not run in parallel with each
// other (xunit runs a class's tests one after another).
public sealed class AuthTests(ApiHost api) : IClassFixture<ApiHost>, IDisposable
{
    private const string Protected = "/test/reception-only";

    public void Dispose() => api.Clock.Set(ApiHost.Start);

    /// <summary>GET of the protected endpoint with <paramref name="token"/> (none: anonymous), expecting <paramref name="status"/>.</summary>
    private Task<IScenarioResult> GetProtected(string? token, HttpStatusCode status, bool problem = false) => api.Scenario(s =>
    {
        s.Get.Url(Protected);
        if (token is not null) s.WithBearerToken(token);
        if (problem) s.ProblemShouldBe(status);
        else s.StatusCodeShouldBe(status);
    });

    [Fact]
    public async Task A_protected_endpoint_without_a_token_is_a_401_problem()
    {
        var result = await GetProtected(token: null, HttpStatusCode.Unauthorized, problem: true);

        (await result.ReadJsonAsync())["status"]!.GetValue<int>().ShouldBe(401);
        result.Context.Response.Headers.WWWAuthenticate.ToString().ShouldStartWith("Bearer");
    }

    [Fact]
    public async Task A_token_is_accepted_until_the_server_clock_passes_its_expiry()
    {
        var token = api.TokenFor("clerk-1", [Roles.Clerk], lifetime: TimeSpan.FromHours(1));

        api.Clock.Set(ApiHost.Start.AddMinutes(59));
        await GetProtected(token, HttpStatusCode.OK);

        api.Clock.Set(ApiHost.Start.AddHours(2));
        var expired = await GetProtected(token, HttpStatusCode.Unauthorized, problem: true);
        expired.Context.Response.Headers.WWWAuthenticate.ToString().ShouldContain("expired");
    }

    [Fact]
    public async Task A_token_issued_in_the_future_of_the_server_clock_is_a_401()
    {
        api.Clock.Set(ApiHost.Start.AddDays(1));
        var token = api.TokenFor("clerk-1", [Roles.Clerk]);
        api.Clock.Set(ApiHost.Start);

        await GetProtected(token, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_a_401()
    {
        var now = ApiHost.Start.UtcDateTime;
        var forged = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["sub"] = "mallory", ["role"] = Roles.Clerk },
            Issuer = "govevents",
            Audience = "govevents",
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey("a-completely-different-key-of-enough-length"u8.ToArray()), SecurityAlgorithms.HmacSha256),
        });

        await GetProtected(forged, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task A_correctly_signed_token_that_names_no_subject_is_a_401_and_appends_nothing(string? subject)
    {
        api.Clock.Set(ApiHost.Start);
        var settings = api.Services.GetRequiredService<IOptions<GovEventsSettings>>().Value;
        var now = ApiHost.Start.UtcDateTime;
        var claims = new Dictionary<string, object> { ["role"] = Roles.Clerk };
        if (subject is not null) claims["sub"] = subject;
        var nameless = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            Issuer = settings.Jwt.Issuer,
            Audience = settings.Jwt.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(TokenIssuer.SigningKey(settings), SecurityAlgorithms.HmacSha256),
        });
        var before = await api.EventCountAsync();

        await GetProtected(nameless, HttpStatusCode.Unauthorized);
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", nameless);
        (await client.SendAsync(Http.Post("/test/notes", new { text = "by nobody" }, Guid.NewGuid().ToString()))).StatusCode
            .ShouldBe(HttpStatusCode.Unauthorized);
        (await api.EventCountAsync()).ShouldBe(before);
    }

    [Theory]
    [InlineData(Roles.Inspector)]
    [InlineData(Roles.Applicant)]
    [InlineData(Roles.Approver)]
    public async Task A_role_outside_the_policy_is_a_403_problem(string role) =>
        await GetProtected(api.RoleToken(role), HttpStatusCode.Forbidden, problem: true);

    [Theory]
    [InlineData(Roles.Clerk)]
    [InlineData(Roles.Handler)]
    public async Task A_role_of_the_policy_is_let_through(string role) =>
        await GetProtected(api.RoleToken(role), HttpStatusCode.OK);

    [Fact]
    public async Task One_admitted_role_among_several_is_enough() =>
        await GetProtected(api.RoleToken(Roles.Cashier, Roles.Handler), HttpStatusCode.OK);

    [Theory]
    [InlineData(Roles.Inspector)]
    [InlineData(Roles.Auditor)]
    public async Task A_token_carrying_inspector_or_auditor_never_writes_case_data_whatever_else_it_carries(string supervisor) =>
        await GetProtected(api.RoleToken(supervisor, Roles.Clerk, Roles.Handler), HttpStatusCode.Forbidden, problem: true);

    [Fact]
    public async Task A_dev_token_authenticates_its_subject()
    {
        var issued = await api.Scenario(s =>
        {
            s.Post.Json(new { subject = "staff-7", roles = new[] { Roles.Clerk }, departmentCode = "D01" }).ToUrl("/api/dev/tokens");
            s.StatusCodeShouldBeOk();
        });
        var token = (await issued.ReadJsonAsync())["token"]!.GetValue<string>();

        var response = await GetProtected(token, HttpStatusCode.OK);

        (await response.ReadJsonAsync())["subject"]!.GetValue<string>().ShouldBe("staff-7");
    }
}
