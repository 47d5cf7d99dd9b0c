using System.Net;
using System.Text.RegularExpressions;
using GovEvents.Api.Tests.Infrastructure;
using GovEvents.Testing;
using Npgsql;
using Shouldly;
using Xunit.Abstractions;

namespace GovEvents.Api.Tests;

/// <summary>
/// PostgreSQL going away under the API (a server of the test's own, stopped as by a crash): reads and
/// commands are answered 503 problem details with Retry-After, nothing else; the log says so once,
/// not a stack trace per request; when the server is back, the API answers again by itself.
/// </summary>
public sealed partial class DatabaseOutageTests(ITestOutputHelper output)
{
    private const int Requests = 30;

    [GeneratedRegex("PostgreSQL is unreachable")]
    private static partial Regex Unreachable();

    [GeneratedRegex("PostgreSQL is reachable again")]
    private static partial Regex Reachable();

    [Fact]
    public async Task While_postgresql_is_down_requests_get_503_with_retry_after_and_the_log_says_so_once()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        await using var db = new TestDatabase(cluster.AdminConnectionString);
        using var api = await ApiProcess.StartAsync(db, ApiHost.CreateAppRole(db));
        var clerk = await api.ClientForAsync("clerk-1", "clerk");
        (await clerk.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await cluster.CrashAsync();
        var logBefore = api.Output.Length;
        for (var i = 0; i < Requests; i++)
        {
            var response = i % 2 == 0
                ? await clerk.GetAsync("/api/cases")
                : await clerk.SendAsync(Http.Post("/api/cases/00000000-0000-0000-0000-000000000001/acceptance", new { }));
            response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, await response.Content.ReadAsStringAsync());
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
            response.Headers.RetryAfter.ShouldNotBeNull().Delta.ShouldBe(TimeSpan.FromSeconds(5));
        }
        await Task.Delay(TimeSpan.FromSeconds(8)); // Marten's daemon and Wolverine's agents keep retrying meanwhile
        var during = api.Output[logBefore..];
        output.WriteLine($"log written during the outage ({Requests} requests, 8 s more): {during.Length} characters");
        Unreachable().Count(during).ShouldBe(1);
        during.Length.ShouldBeLessThan(8_000, during[..Math.Min(3000, during.Length)]);
        during.ShouldNotContain("Unhandled exception");

        await cluster.StartServerAsync();
        NpgsqlConnection.ClearAllPools(); // this process's own idle connections died with the server
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode status;
        do
        {
            status = (await clerk.GetAsync("/api/cases")).StatusCode;
            if (status != HttpStatusCode.OK) await Task.Delay(200);
        }
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline);
        status.ShouldBe(HttpStatusCode.OK);
        // The process's output arrives asynchronously.
        var logged = DateTime.UtcNow.AddSeconds(10);
        while (Reachable().Count(api.Output[logBefore..]) == 0 && DateTime.UtcNow < logged) await Task.Delay(100);
        Reachable().Count(api.Output[logBefore..]).ShouldBe(1, api.Output[logBefore..][^Math.Min(3000, api.Output.Length - logBefore)..]);
    }
}
