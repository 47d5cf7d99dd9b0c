using System.Net;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests;

public sealed class IdempotencyTests(ApiHost api) : IClassFixture<ApiHost>
{
    private static string NewKey() => Guid.NewGuid().ToString();

    [Fact]
    public async Task A_retry_with_the_same_key_returns_the_first_response_and_appends_nothing()
    {
        var client = api.CreateClient(Roles.Clerk);
        var key = NewKey();
        var runsBefore = api.Counters.Notes;

        var first = await client.SendAsync(Http.Post("/test/notes", new { text = "once" }, key));
        var retry = await client.SendAsync(Http.Post("/test/notes", new { text = "once" }, key));

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        retry.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await retry.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
        retry.Headers.Location.ShouldBe(first.Headers.Location);
        retry.Headers.ETag.ShouldBe(first.Headers.ETag);
        retry.MediaType().ShouldBe("application/json");
        retry.Headers.GetValues("Idempotent-Replayed").ShouldHaveSingleItem().ShouldBe("true");
        api.Counters.Notes.ShouldBe(runsBefore + 1);
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_a_422()
    {
        var client = api.CreateClient(Roles.Clerk);
        var key = NewKey();
        await client.SendAsync(Http.Post("/test/notes", new { text = "first" }, key));
        var runsBefore = api.Counters.Notes;

        var reused = await client.SendAsync(Http.Post("/test/notes", new { text = "second" }, key));

        reused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await reused.ReadJsonAsync())["rule"]!.GetValue<string>().ShouldBe("idempotency-key-reused");
        api.Counters.Notes.ShouldBe(runsBefore);
    }

    [Fact]
    public async Task Concurrent_duplicates_run_once()
    {
        var client = api.CreateClient(Roles.Clerk);
        var key = NewKey();
        var runsBefore = api.Counters.Notes;

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            client.SendAsync(Http.Post("/test/notes", new { text = "race", delayMs = 300 }, key))));

        api.Counters.Notes.ShouldBe(runsBefore + 1);
        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created || r.StatusCode == HttpStatusCode.Conflict);
        responses.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBeGreaterThanOrEqualTo(1);
        var ids = await Task.WhenAll(responses.Where(r => r.StatusCode == HttpStatusCode.Created)
            .Select(async r => (await r.ReadJsonAsync())["id"]!.GetValue<string>()));
        ids.Distinct().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Keys_belong_to_their_caller()
    {
        var key = NewKey();
        var runsBefore = api.Counters.Notes;

        var mine = await api.CreateClientFor("clerk-a", [Roles.Clerk]).SendAsync(Http.Post("/test/notes", new { text = "x" }, key));
        var theirs = await api.CreateClientFor("clerk-b", [Roles.Clerk]).SendAsync(Http.Post("/test/notes", new { text = "x" }, key));

        mine.StatusCode.ShouldBe(HttpStatusCode.Created);
        theirs.StatusCode.ShouldBe(HttpStatusCode.Created);
        theirs.Headers.Location.ShouldNotBe(mine.Headers.Location);
        api.Counters.Notes.ShouldBe(runsBefore + 2);
    }

    [Fact]
    public async Task A_failed_request_frees_its_key_so_the_retry_runs()
    {
        var client = api.CreateClient(Roles.Clerk);
        var key = NewKey();

        var failed = await client.SendAsync(Http.Post("/test/flaky", new { }, key));
        var retried = await client.SendAsync(Http.Post("/test/flaky", new { }, key));
        var replayed = await client.SendAsync(Http.Post("/test/flaky", new { }, key));

        failed.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        retried.StatusCode.ShouldBe(HttpStatusCode.Created);
        replayed.StatusCode.ShouldBe(HttpStatusCode.Created);
        api.Counters.FlakyRuns.ShouldBe(2);
    }

    [Fact]
    public async Task Without_a_key_every_post_runs()
    {
        var client = api.CreateClient(Roles.Clerk);
        var runsBefore = api.Counters.Notes;

        await client.SendAsync(Http.Post("/test/notes", new { text = "same" }));
        await client.SendAsync(Http.Post("/test/notes", new { text = "same" }));

        api.Counters.Notes.ShouldBe(runsBefore + 2);
    }
}
