using System.Net;
using GovEvents.Api.Tests.Infrastructure;
using GovEvents.Testing;
using Npgsql;
using Shouldly;

namespace GovEvents.Api.Tests;

/// <summary>
/// The API as a separate process, and it or PostgreSQL crashing in the middle of a burst of keyed
/// submissions: every retry with the same Idempotency-Key gets the first answer or runs afresh, never
/// a second case, never a refusal for a command that was applied, never a wait on a stale claim.
/// </summary>
public sealed class CrashSafetyTests
{
    private const int Submissions = 150;

    private static readonly object Submission = new
    {
        matterCode = "SPJY-003",
        channel = "window",
        applicant = new { kind = "organisation", name = "某某食品有限公司", idNumber = "91110000MA01234567", phone = "13800000000" },
        materials = new[] { "application-form", "business-licence", "process-flow", "equipment-list" },
    };

    [Fact]
    public async Task Retries_after_a_kill_9_of_the_api_create_each_case_exactly_once()
    {
        await using var db = new TestDatabase();
        var role = ApiHost.CreateAppRole(db);
        var keys = Keys();
        Dictionary<string, string> firstAnswers;

        using (var first = await ApiProcess.StartAsync(db, role))
            firstAnswers = await BurstAsync(await first.ClientForAsync("clerk-1", "clerk"), keys, crash: () =>
            {
                first.Kill();
                return Task.CompletedTask;
            });

        using var second = await ApiProcess.StartAsync(db, role);
        await RetryEachAsync(await second.ClientForAsync("clerk-1", "clerk"), keys, firstAnswers, db);
    }

    /// <summary>
    /// The same with PostgreSQL crashing instead (every backend killed, no shutdown checkpoint, WAL
    /// recovery at restart) on a server of the test's own; the API process lives through it.
    /// </summary>
    [Fact]
    public async Task Retries_after_a_crash_of_postgresql_create_each_case_exactly_once()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        await using var db = new TestDatabase(cluster.AdminConnectionString);
        var role = ApiHost.CreateAppRole(db);
        var keys = Keys();

        using var api = await ApiProcess.StartAsync(db, role);
        var clerk = await api.ClientForAsync("clerk-1", "clerk");
        var firstAnswers = await BurstAsync(clerk, keys, crash: cluster.CrashAsync);
        await cluster.StartServerAsync();
        NpgsqlConnection.ClearAllPools(); // this process's own idle connections died with the server

        await RetryEachAsync(clerk, keys, firstAnswers, db);
    }

    private static string[] Keys() => Enumerable.Range(0, Submissions).Select(i => $"crash-{i}-{Guid.NewGuid():N}").ToArray();

    /// <summary>Sends every submission at once and crashes something once some are answered; returns the answers given.</summary>
    private static async Task<Dictionary<string, string>> BurstAsync(HttpClient clerk, string[] keys, Func<Task> crash)
    {
        var firstAnswers = new Dictionary<string, string>();
        int Answered() { lock (firstAnswers) return firstAnswers.Count; }
        var burst = keys.Select(async key =>
        {
            try
            {
                var response = await clerk.SendAsync(Http.Post("/api/cases", Submission, key));
                if (response.StatusCode != HttpStatusCode.Created) return;
                var id = (await response.ReadJsonAsync())["id"]!.GetValue<string>();
                lock (firstAnswers) firstAnswers[key] = id;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                // The process died under this request.
            }
        }).ToList();
        // Crash once some answers are out and others are still running.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Answered() < 2 && DateTime.UtcNow < deadline) await Task.Delay(5);
        await crash();
        await Task.WhenAll(burst);
        firstAnswers.Count.ShouldBeLessThan(Submissions, "the crash came too late to interrupt anything");
        return firstAnswers;
    }

    /// <summary>
    /// Retries every key as a client would (again after a 5xx or a broken connection, for a while): each
    /// gets 201, the first answer where there was one, and there is exactly one case per key.
    /// </summary>
    private static async Task RetryEachAsync(HttpClient clerk, string[] keys, Dictionary<string, string> firstAnswers, TestDatabase db)
    {
        var ids = new Dictionary<string, string>();
        foreach (var key in keys)
        {
            var retry = await SendUntilAnsweredAsync(clerk, key);
            retry.StatusCode.ShouldBe(HttpStatusCode.Created, $"retry of {key}: {await retry.Content.ReadAsStringAsync()}");
            ids[key] = (await retry.ReadJsonAsync())["id"]!.GetValue<string>();
            if (firstAnswers.TryGetValue(key, out var answered)) ids[key].ShouldBe(answered, "a replay gives the first answer");
        }

        ids.Values.Distinct().Count().ShouldBe(Submissions);
        (await CountAsync(db, "select count(*) from govevents.mt_events where type = 'case_submitted'")).ShouldBe(Submissions);
    }

    private static async Task<HttpResponseMessage> SendUntilAnsweredAsync(HttpClient clerk, string key)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                var response = await clerk.SendAsync(Http.Post("/api/cases", Submission, key));
                if ((int)response.StatusCode < 500 || DateTime.UtcNow > deadline) return response;
            }
            catch (HttpRequestException) when (DateTime.UtcNow <= deadline) { }
            await Task.Delay(200);
        }
    }

    private static async Task<long> CountAsync(TestDatabase db, string sql)
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
