using System.Net;
using System.Net.Http.Json;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Tests.Infrastructure;
using GovEvents.Store;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace GovEvents.Api.Tests;

public sealed class DevModeTests(ApiHost api) : IClassFixture<ApiHost>, IDisposable
{
    public void Dispose() => api.Clock.Set(ApiHost.Start);

    [Fact]
    public async Task The_dev_clock_is_the_server_clock_and_stands_still_where_it_was_set()
    {
        var client = api.CreateClient();
        var at = new DateTimeOffset(2026, 5, 4, 10, 0, 0, TimeSpan.FromHours(8));

        var set = await client.PutAsJsonAsync("/api/dev/clock", new { now = at });

        set.StatusCode.ShouldBe(HttpStatusCode.OK);
        api.Services.GetRequiredService<TimeProvider>().GetUtcNow().ShouldBe(at);
        await Task.Delay(20);
        (await client.GetFromJsonAsync<ClockView>("/api/dev/clock"))!.Now.ShouldBe(at);
    }

    [Fact]
    public async Task The_dev_clock_may_be_set_backwards()
    {
        var client = api.CreateClient();
        await client.PutAsJsonAsync("/api/dev/clock", new { now = ApiHost.Start.AddDays(10) });

        await client.PutAsJsonAsync("/api/dev/clock", new { now = ApiHost.Start.AddDays(-10) });

        api.Clock.GetUtcNow().ShouldBe(ApiHost.Start.AddDays(-10));
    }

    [Fact]
    public async Task Setting_the_dev_clock_without_an_instant_is_a_400()
    {
        var response = await api.CreateClient().PutAsJsonAsync("/api/dev/clock", new { });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ReadJsonAsync())["errors"]!["now"].ShouldNotBeNull();
    }

    [Fact]
    public async Task The_sweep_runs_the_registered_steps_at_the_server_time_as_the_system()
    {
        var step = api.Services.GetRequiredService<RecordingSweepStep>();
        var at = ApiHost.Start.AddDays(3);
        api.Clock.Set(at);

        var response = await api.CreateClient(Roles.Clerk).PostAsync("/api/dev/sweep", null);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.ReadJsonAsync();
        var recording = body["steps"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "recording")!;
        recording["processed"]!.GetValue<int>().ShouldBe(1);
        var run = step.Runs.Last();
        run.Now.ShouldBe(at);
        run.Actor.ActorKind.ShouldBe(ActorKind.System);
    }

    private sealed record ClockView(DateTimeOffset Now, bool Fixed);
}

public sealed class DevModeOffTests(ProductionModeApiHost api) : IClassFixture<ProductionModeApiHost>
{
    [Theory]
    [InlineData("POST", "/api/dev/tokens")]
    [InlineData("PUT", "/api/dev/clock")]
    [InlineData("POST", "/api/dev/sweep")]
    public async Task Dev_endpoints_do_not_exist_when_dev_mode_is_off(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = Http.Json("""{ "subject": "x", "roles": ["manager"], "now": "2026-03-02T09:00:00+08:00" }"""),
        };

        var response = await api.CreateClient(Roles.Manager).SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/swagger/v1/swagger.json")]
    [InlineData("/swagger/index.html")]
    public async Task Swagger_is_not_served_when_dev_mode_is_off_and_it_is_not_configured(string path) =>
        (await api.CreateClient().GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

    [Fact]
    public void The_server_clock_is_the_system_clock_when_dev_mode_is_off()
    {
        api.Services.GetRequiredService<TimeProvider>().ShouldBeSameAs(TimeProvider.System);
    }

    [Fact]
    public async Task Tokens_signed_with_the_configured_key_are_accepted()
    {
        var response = await api.CreateClient(Roles.Clerk).GetAsync("/test/reception-only");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
