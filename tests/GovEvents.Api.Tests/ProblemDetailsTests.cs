using System.Net;
using Alba;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests;

public sealed class ProblemDetailsTests(ApiHost api) : IClassFixture<ApiHost>
{
    /// <summary>POSTs <paramref name="json"/> (raw) to <paramref name="url"/>, expecting a problem with <paramref name="status"/>.</summary>
    private Task<IScenarioResult> PostProblem(string url, string json, HttpStatusCode status, string? token = null) => api.Scenario(s =>
    {
        s.Post.RawJson(json).ToUrl(url);
        if (token is not null) s.WithBearerToken(token);
        s.ProblemShouldBe(status);
    });

    [Fact]
    public async Task Malformed_json_is_a_400_problem_with_errors_not_a_500()
    {
        var response = await PostProblem("/test/echo", """{ "name": "a", "count": """, HttpStatusCode.BadRequest);

        var problem = await response.ReadJsonAsync();
        problem["status"]!.GetValue<int>().ShouldBe(400);
        problem["errors"]!.AsObject().Count.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_a_400_naming_the_field()
    {
        var response = await PostProblem("/test/echo",
            """{ "name": "a", "count": "many", "day": "2026-03-05", "at": "2026-03-02T09:00:00+08:00", "status": "draft" }""", HttpStatusCode.BadRequest);

        (await response.ReadJsonAsync())["errors"]!["$.count"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Text_holding_NUL_is_a_400_naming_the_field_and_appends_nothing()
    {
        var before = (await api.Store.ReadAllAsync(0, 100_000)).Count;

        var response = await PostProblem("/api/cases", """
            { "matterCode": "M-1", "channel": "online", "materials": ["form"],
              "applicant": { "kind": "person", "name": "张\u0000三", "idNumber": "110101199001011234", "phone": "13800000000" } }
            """, HttpStatusCode.BadRequest, api.RoleToken(Hosting.Auth.Roles.Applicant));

        (await response.ReadJsonAsync())["errors"]!["$.applicant.name"].ShouldNotBeNull();
        (await api.Store.ReadAllAsync(0, 100_000)).Count.ShouldBe(before);
    }

    [Theory]
    [InlineData("/api/public/cases/2026000001?queryCode=12%0034")]
    [InlineData("/api/cases?matterCode=QYKB%00001")]
    [InlineData("/api/matters?x%00=1")]
    public async Task A_query_holding_NUL_is_a_400_problem(string url)
    {
        // (Kestrel itself refuses a NUL in the path.)
        var response = await api.CreateClient(Hosting.Auth.Roles.Clerk).GetAsync(url);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.MediaType().ShouldBe(Scenarios.ProblemJson);
    }

    [Fact]
    public async Task A_missing_body_is_a_400_problem() =>
        await PostProblem("/test/echo", "", HttpStatusCode.BadRequest);

    [Fact]
    public async Task An_invalid_dev_token_request_is_a_400_with_an_error_per_field()
    {
        var response = await PostProblem("/api/dev/tokens", """{ "subject": "", "roles": ["pope"] }""", HttpStatusCode.BadRequest);

        var errors = (await response.ReadJsonAsync())["errors"]!;
        errors["subject"].ShouldNotBeNull();
        errors["roles"]!.ToJsonString().ShouldContain("pope");
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem() => await api.Scenario(s =>
    {
        s.Get.Url("/api/nothing-here");
        s.ProblemShouldBe(HttpStatusCode.NotFound);
    });

    [Fact]
    public async Task An_unhandled_exception_is_a_500_problem_that_reveals_nothing()
    {
        await api.Scenario(s =>
        {
            s.Get.Url("/test/throw");
            s.ProblemShouldBe(HttpStatusCode.InternalServerError);
            s.ContentShouldNotContain("hunter2");
            s.ContentShouldNotContain("InvalidOperationException");
            s.ContentShouldNotContain("TestEndpoints");
        });
    }

    [Fact]
    public async Task A_concurrency_conflict_is_a_409_problem()
    {
        var response = await PostProblem("/test/conflict", "{}", HttpStatusCode.Conflict);

        (await response.ReadJsonAsync())["streamId"]!.GetValue<string>().ShouldBe("case-1");
    }

    [Fact]
    public async Task A_domain_refusal_is_a_422_problem_with_its_rule()
    {
        var response = await PostProblem("/test/refuse", "{}", HttpStatusCode.UnprocessableEntity);

        var problem = await response.ReadJsonAsync();
        problem["rule"]!.GetValue<string>().ShouldBe("materials-incomplete");
        problem["detail"]!.GetValue<string>().ShouldBe("The ID card copy is missing.");
    }

    [Fact]
    public async Task A_request_too_large_is_a_413_problem() =>
        await PostProblem("/test/too-large", "{}", HttpStatusCode.RequestEntityTooLarge);
}
