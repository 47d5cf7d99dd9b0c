using System.Net;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests;

public sealed class JsonConventionTests(ApiHost api) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task Json_is_camel_case_with_kebab_enums_iso_dates_and_times_in_the_hall_zone()
    {
        var response = await api.CreateClient().PostAsync("/test/echo", Http.Json(
            """{ "name": "a", "count": 2, "day": "2026-03-05", "at": "2026-03-02T01:30:00Z", "status": "in-review" }"""));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var raw = await response.Content.ReadAsStringAsync();
        raw.ShouldContain("\"day\":\"2026-03-05\"");
        raw.ShouldContain("\"at\":\"2026-03-02T09:30:00+08:00\"");
        raw.ShouldContain("\"status\":\"in-review\"");
        raw.ShouldContain("\"count\":2");
    }

    [Fact]
    public async Task An_enum_given_as_a_number_is_a_400()
    {
        var response = await api.CreateClient().PostAsync("/test/echo", Http.Json(
            """{ "name": "a", "count": 2, "day": "2026-03-05", "at": "2026-03-02T01:30:00Z", "status": 1 }"""));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
