using System.Net;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Cases;

/// <summary>
/// A host whose public lookup allows 3 lookups of a case number and 6 from a client per 8 seconds: long
/// enough that the test's ten lookups fall in one window on a loaded machine (a partition's window starts
/// with its first lookup), short enough to wait out.
/// </summary>
public sealed class TightLookupHost : ApiHost
{
    public const double WindowSeconds = 8;

    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        settings["GovEvents:PublicLookup:PerCase"] = "3";
        settings["GovEvents:PublicLookup:PerClient"] = "6";
        settings["GovEvents:PublicLookup:WindowSeconds"] = WindowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>信息服务 cannot be guessed in bulk: lookups are limited per case number and per client (429 with Retry-After).</summary>
public sealed class PublicLookupLimitTests(TightLookupHost api) : IClassFixture<TightLookupHost>
{
    private Task<HttpResponseMessage> LookupAsync(string caseNumber) =>
        api.CreateClient().GetAsync($"/api/public/cases/{caseNumber}?queryCode=AAAAA-AAAAA");

    private static async Task ShouldBeLimitedAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        response.Headers.RetryAfter.ShouldNotBeNull().Delta.ShouldNotBeNull().TotalSeconds.ShouldBeInRange(1, TightLookupHost.WindowSeconds);
        (await response.ReadJsonAsync())["status"]!.GetValue<int>().ShouldBe(429);
    }

    [Fact]
    public async Task Lookups_beyond_the_limits_of_a_case_number_and_of_a_client_are_429_until_the_window_passes()
    {
        // Every partition (this client, each case number) is new: its window starts with its first lookup.
        for (var i = 0; i < 3; i++) (await LookupAsync("2026900001")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await ShouldBeLimitedAsync(await LookupAsync("2026900001"));

        // Another case number is still answered; fresh case numbers then meet the client's own limit
        // (6 lookups in the window, refused ones counted) before the seventh.
        (await LookupAsync("2026900002")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        HttpResponseMessage? limited = null;
        for (var i = 3; i <= 7 && limited is null; i++)
            if (await LookupAsync($"202690000{i}") is { StatusCode: HttpStatusCode.TooManyRequests } refused) limited = refused;
        await ShouldBeLimitedAsync(limited.ShouldNotBeNull("the client's limit was never reached"));

        // Nothing else is limited.
        (await api.CreateClient().GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await Task.Delay(TimeSpan.FromSeconds(TightLookupHost.WindowSeconds + 0.5));
        (await LookupAsync("2026900001")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
