using GovEvents.Api.Tests.Infrastructure;
using GovEvents.Testing;
using Shouldly;

namespace GovEvents.Api.Tests;

/// <summary>What the real server (Kestrel, not the test server) puts on the wire: no "Server" header.</summary>
public sealed class KestrelHeadersTests
{
    [Fact]
    public async Task The_api_process_names_no_server_software()
    {
        await using var db = new TestDatabase();
        using var api = await ApiProcess.StartAsync(db, ApiHost.CreateAppRole(db));
        var clerk = await api.ClientForAsync("clerk-1", "clerk");

        foreach (var path in new[] { "/health/live", "/api/cases", "/api/nowhere" })
        {
            var response = await clerk.GetAsync(path);
            response.Headers.Contains("Server").ShouldBeFalse(path);
            response.Headers.GetValues("X-Content-Type-Options").ShouldHaveSingleItem().ShouldBe("nosniff", path);
        }
    }
}
