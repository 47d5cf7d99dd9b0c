using System.Net;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests;

public sealed class ProblemDetailsTests(ApiHost api) : IClassFixture<ApiHost>
{
    private const string ProblemJson = "application/problem+json";

    [Fact]
    public async Task Malformed_json_is_a_400_problem_with_errors_not_a_500()
    {
        var response = await api.CreateClient().PostAsync("/test/echo", Http.Json("""{ "name": "a", "count": """));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.MediaType().ShouldBe(ProblemJson);
        var problem = await response.ReadJsonAsync();
        problem["status"]!.GetValue<int>().ShouldBe(400);
        problem["errors"]!.AsObject().Count.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_a_400_naming_the_field()
    {
        var response = await api.CreateClient().PostAsync("/test/echo", Http.Json(
            """{ "name": "a", "count": "many", "day": "2026-03-05", "at": "2026-03-02T09:00:00+08:00", "status": "draft" }"""));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ReadJsonAsync())["errors"]!["$.count"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Text_holding_NUL_is_a_400_naming_the_field_and_appends_nothing()
    {
        var before = (await api.Store.ReadAllAsync(0, 100_000)).Count;

        var response = await api.CreateClient(Hosting.Auth.Roles.Applicant).PostAsync("/api/cases", Http.Json("""
            { "matterCode": "M-1", "channel": "online", "materials": ["form"],
              "applicant": { "kind": "person", "name": "张\u0000三", "idNumber": "110101199001011234", "phone": "13800000000" } }
            """));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.MediaType().ShouldBe(ProblemJson);
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
        response.MediaType().ShouldBe(ProblemJson);
    }

    [Fact]
    public async Task A_missing_body_is_a_400_problem()
    {
        var response = await api.CreateClient().PostAsync("/test/echo", Http.Json(""));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.MediaType().ShouldBe(ProblemJson);
    }

    [Fact]
    public async Task An_invalid_dev_token_request_is_a_400_with_an_error_per_field()
    {
        var response = await api.CreateClient().PostAsync("/api/dev/tokens", Http.Json("""{ "subject": "", "roles": ["pope"] }"""));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.ReadJsonAsync())["errors"]!;
        errors["subject"].ShouldNotBeNull();
        errors["roles"]!.ToJsonString().ShouldContain("pope");
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        var response = await api.CreateClient().GetAsync("/api/nothing-here");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.MediaType().ShouldBe(ProblemJson);
    }

    [Fact]
    public async Task An_unhandled_exception_is_a_500_problem_that_reveals_nothing()
    {
        var response = await api.CreateClient().GetAsync("/test/throw");

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        response.MediaType().ShouldBe(ProblemJson);
        var body = await response.Content.ReadAsStringAsync();
        body.ShouldNotContain("hunter2");
        body.ShouldNotContain("InvalidOperationException");
        body.ShouldNotContain("TestEndpoints");
    }

    [Fact]
    public async Task A_concurrency_conflict_is_a_409_problem()
    {
        var response = await api.CreateClient().PostAsync("/test/conflict", Http.Json("{}"));

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        response.MediaType().ShouldBe(ProblemJson);
        (await response.ReadJsonAsync())["streamId"]!.GetValue<string>().ShouldBe("case-1");
    }

    [Fact]
    public async Task A_domain_refusal_is_a_422_problem_with_its_rule()
    {
        var response = await api.CreateClient().PostAsync("/test/refuse", Http.Json("{}"));

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        response.MediaType().ShouldBe(ProblemJson);
        var problem = await response.ReadJsonAsync();
        problem["rule"]!.GetValue<string>().ShouldBe("materials-incomplete");
        problem["detail"]!.GetValue<string>().ShouldBe("The ID card copy is missing.");
    }

    [Fact]
    public async Task A_request_too_large_is_a_413_problem()
    {
        var response = await api.CreateClient().PostAsync("/test/too-large", Http.Json("{}"));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        response.MediaType().ShouldBe(ProblemJson);
    }
}
