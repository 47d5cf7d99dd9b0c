using System.Net;
using Alba;
using GovEvents.Api.Tests.Infrastructure;

namespace GovEvents.Api.Tests;

public sealed class JsonConventionTests(ApiHost api) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task Json_is_camel_case_with_kebab_enums_iso_dates_and_times_in_the_hall_zone() => await api.Scenario(s =>
    {
        s.Post.RawJson("""{ "name": "a", "count": 2, "day": "2026-03-05", "at": "2026-03-02T01:30:00Z", "status": "in-review" }""")
            .ToUrl("/test/echo");
        s.StatusCodeShouldBeOk();
        s.ContentShouldContain("\"day\":\"2026-03-05\"");
        s.ContentShouldContain("\"at\":\"2026-03-02T09:30:00+08:00\"");
        s.ContentShouldContain("\"status\":\"in-review\"");
        s.ContentShouldContain("\"count\":2");
    });

    [Fact]
    public async Task An_enum_given_as_a_number_is_a_400() => await api.Scenario(s =>
    {
        s.Post.RawJson("""{ "name": "a", "count": 2, "day": "2026-03-05", "at": "2026-03-02T01:30:00Z", "status": 1 }""").ToUrl("/test/echo");
        s.StatusCodeShouldBe(HttpStatusCode.BadRequest);
    });
}
