using System.Net;
using System.Net.Http.Json;
using GovEvents.Api.Hosting.Auth;
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

    [Fact]
    public async Task A_protected_endpoint_without_a_token_is_a_401_problem()
    {
        var response = await api.CreateClient().GetAsync(Protected);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.MediaType().ShouldBe("application/problem+json");
        (await response.ReadJsonAsync())["status"]!.GetValue<int>().ShouldBe(401);
        response.Headers.WwwAuthenticate.ToString().ShouldStartWith("Bearer");
    }

    [Fact]
    public async Task A_token_is_accepted_until_the_server_clock_passes_its_expiry()
    {
        var token = api.TokenFor("clerk-1", [Roles.Clerk], lifetime: TimeSpan.FromHours(1));
        var client = ApiHost.WithToken(api.CreateClient(), token);

        api.Clock.Set(ApiHost.Start.AddMinutes(59));
        (await client.GetAsync(Protected)).StatusCode.ShouldBe(HttpStatusCode.OK);

        api.Clock.Set(ApiHost.Start.AddHours(2));
        var expired = await client.GetAsync(Protected);
        expired.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        expired.MediaType().ShouldBe("application/problem+json");
        expired.Headers.WwwAuthenticate.ToString().ShouldContain("expired");
    }

    [Fact]
    public async Task A_token_issued_in_the_future_of_the_server_clock_is_a_401()
    {
        api.Clock.Set(ApiHost.Start.AddDays(1));
        var token = api.TokenFor("clerk-1", [Roles.Clerk]);
        api.Clock.Set(ApiHost.Start);

        var response = await ApiHost.WithToken(api.CreateClient(), token).GetAsync(Protected);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
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

        var response = await ApiHost.WithToken(api.CreateClient(), forged).GetAsync(Protected);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(Roles.Inspector)]
    [InlineData(Roles.Applicant)]
    [InlineData(Roles.Approver)]
    public async Task A_role_outside_the_policy_is_a_403_problem(string role)
    {
        var response = await api.CreateClient(role).GetAsync(Protected);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.MediaType().ShouldBe("application/problem+json");
    }

    [Theory]
    [InlineData(Roles.Clerk)]
    [InlineData(Roles.Handler)]
    public async Task A_role_of_the_policy_is_let_through(string role)
    {
        var response = await api.CreateClient(role).GetAsync(Protected);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task One_admitted_role_among_several_is_enough()
    {
        var response = await api.CreateClient(Roles.Cashier, Roles.Handler).GetAsync(Protected);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(Roles.Inspector)]
    [InlineData(Roles.Auditor)]
    public async Task A_token_carrying_inspector_or_auditor_never_writes_case_data_whatever_else_it_carries(string supervisor)
    {
        var response = await api.CreateClient(supervisor, Roles.Clerk, Roles.Handler).GetAsync(Protected);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.MediaType().ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task A_dev_token_authenticates_its_subject()
    {
        var issued = await api.CreateClient().PostAsJsonAsync("/api/dev/tokens",
            new { subject = "staff-7", roles = new[] { Roles.Clerk }, departmentCode = "D01" });
        issued.StatusCode.ShouldBe(HttpStatusCode.OK);
        var token = (await issued.ReadJsonAsync())["token"]!.GetValue<string>();

        var response = await ApiHost.WithToken(api.CreateClient(), token).GetAsync(Protected);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.ReadJsonAsync())["subject"]!.GetValue<string>().ShouldBe("staff-7");
    }
}
