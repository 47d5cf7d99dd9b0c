using System.Net;
using Alba;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace GovEvents.Api.Tests;

public sealed class HealthAndSwaggerTests(ApiHost api) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task Live_health_answers_200_without_a_token()
    {
        var response = await api.Scenario(s => s.Get.Url("/health/live"));

        (await response.ReadJsonAsync())["status"]!.GetValue<string>().ShouldBe("healthy");
    }

    [Fact]
    public async Task Ready_health_is_200_with_the_database_reachable_and_the_schema_current()
    {
        var response = await api.Scenario(s => s.Get.Url("/health/ready"));

        var body = await response.ReadJsonAsync();
        body["checks"]!["database"]!["status"]!.GetValue<string>().ShouldBe("healthy");
        body["checks"]!["schema"]!["status"]!.GetValue<string>().ShouldBe("healthy");
        body["checks"]!["projections"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Answers_forbid_content_sniffing_and_answers_with_personal_data_are_not_cached()
    {
        var client = api.CreateClient(Roles.Clerk);
        var data = await client.GetAsync("/api/cases");
        var health = await api.CreateClient().GetAsync("/health/live");
        var refused = await api.CreateClient().GetAsync("/api/cases");

        foreach (var response in new[] { data, health, refused })
            response.Headers.GetValues("X-Content-Type-Options").ShouldHaveSingleItem().ShouldBe("nosniff");
        data.StatusCode.ShouldBe(HttpStatusCode.OK);
        data.Headers.CacheControl.ShouldNotBeNull().NoStore.ShouldBeTrue();
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        refused.Headers.CacheControl.ShouldNotBeNull().NoStore.ShouldBeTrue();
    }

    [Fact]
    public async Task The_openapi_document_is_served_with_the_bearer_scheme()
    {
        var response = await api.Scenario(s => s.Get.Url("/swagger/v1/swagger.json"));

        var doc = await response.ReadJsonAsync();
        doc["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.GetValue<string>().ShouldBe("bearer");
        doc["security"]!.AsArray().ShouldNotBeEmpty();
        doc["paths"]!["/api/dev/tokens"].ShouldNotBeNull();
    }

    [Fact]
    public async Task The_main_commands_carry_example_bodies_in_the_openapi_document()
    {
        var doc = await (await api.Scenario(s => s.Get.Url("/swagger/v1/swagger.json"))).ReadJsonAsync();
        doc["paths"]!["/api/cases"]!["post"].ShouldNotBeNull();
        var schemas = doc["components"]!["schemas"]!.AsObject();
        var submit = schemas.Single(s => s.Key.EndsWith("SubmitCaseRequest", StringComparison.Ordinal)).Value!;
        var example = (submit["examples"] ?? submit["example"]).ShouldNotBeNull().ToJsonString();
        example.ShouldContain("SPJY-003");
        schemas.Single(s => s.Key.EndsWith("SignatureRequest", StringComparison.Ordinal)).Value!.ToJsonString().ShouldContain("onSite");
        // This session's endpoints: the channel's notification, seals, alerts and their review.
        foreach (var path in new[] { "/api/payments/online/notifications", "/api/audit/seals", "/api/supervision/alerts", "/api/supervision/alerts/{id}/review" })
            doc["paths"]![path].ShouldNotBeNull(path);
        schemas.Single(s => s.Key.EndsWith("PaymentNotification", StringComparison.Ordinal)).Value!.ToJsonString().ShouldContain("UPAY-20261207-000123");
        var review = schemas.Single(s => s.Key.EndsWith("AlertReviewRequest", StringComparison.Ordinal)).Value!;
        (review["examples"] ?? review["example"]).ShouldNotBeNull().ToJsonString().ShouldContain("note");
    }

    [Fact]
    public async Task The_swagger_ui_is_served_at_swagger() => await api.Scenario(s =>
    {
        s.Get.Url("/swagger/index.html");
        s.StatusCodeShouldBeOk();
        s.ContentShouldContain("swagger-ui");
    });
}
