using System.Net;
using System.Text.Json.Nodes;
using GovEvents.Api.Tests.Infrastructure;
using GovEvents.Testing;
using Shouldly;

namespace GovEvents.Api.Tests;

/// <summary>
/// Two API processes on one database (Wolverine's Balanced mode, as a province runs it): each async
/// projection runs on exactly one of them, and when that process is killed (SIGKILL, no goodbye) the
/// survivor takes the projections over and projects what is appended afterwards.
/// </summary>
public sealed class ClusterFailoverTests
{
    private static readonly Dictionary<string, string> Clustered = new()
    {
        ["GovEvents__Wolverine__Solo"] = "false",
        // Declare a silent node dead within seconds rather than Wolverine's minute.
        ["GovEvents__Wolverine__HealthCheckSeconds"] = "1",
        ["GovEvents__Wolverine__StaleNodeSeconds"] = "4",
    };

    private static readonly object Submission = new
    {
        matterCode = "SPJY-003",
        channel = "window",
        applicant = new { kind = "organisation", name = "某某食品有限公司", idNumber = "91110000MA01234567", phone = "13800000000" },
        materials = new[] { "application-form", "business-licence", "process-flow", "equipment-list" },
    };

    private static async Task<Dictionary<string, string>> StatusesAsync(HttpClient manager)
    {
        var response = await manager.GetAsync("/api/admin/projections");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.ReadJsonAsync()).AsArray().ToDictionary(p => p.Str("name")!, p => p.Str("status")!);
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, TimeSpan within, string what) where T : class
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (await probe() is { } found) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not within {within.TotalSeconds} s: {what}.");
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task The_projections_move_to_the_surviving_node_when_theirs_is_killed()
    {
        await using var db = new TestDatabase();
        var role = ApiHost.CreateAppRole(db);
        using var a = await ApiProcess.StartAsync(db, role, Clustered);
        using var b = await ApiProcess.StartAsync(db, role, Clustered);
        var managers = new[] { await a.ClientForAsync("manager-1", "manager"), await b.ClientForAsync("manager-1", "manager") };

        // Once Wolverine has assigned them, every projection runs on exactly one of the two.
        var placed = await EventuallyAsync(async () =>
        {
            var statuses = new[] { await StatusesAsync(managers[0]), await StatusesAsync(managers[1]) };
            var running = statuses[0].Keys.ToDictionary(name => name, name => Enumerable.Range(0, 2).Where(i => statuses[i][name] == "running").ToList());
            return running.Values.All(nodes => nodes.Count == 1) ? running : null;
        }, TimeSpan.FromSeconds(90), "each projection running on one node");
        placed.Keys.ShouldContain("case_views");
        var home = placed["case_views"].Single();
        var (doomed, survivor) = home == 0 ? (a, b) : (b, a);
        var survivorManager = managers[1 - home];

        doomed.Kill();
        var clerk = await survivor.ClientForAsync("clerk-1", "clerk");
        var submitted = await clerk.SendAsync(Http.Post("/api/cases", Submission));
        submitted.StatusCode.ShouldBe(HttpStatusCode.Created);
        var caseId = (await submitted.ReadJsonAsync()).Str("id")!;

        // The survivor takes every projection over and projects the case appended after the kill.
        await EventuallyAsync(async () =>
        {
            var statuses = await StatusesAsync(survivorManager);
            return statuses.Values.All(s => s == "running") ? statuses : null;
        }, TimeSpan.FromSeconds(90), "every projection running on the survivor");
        var queued = await EventuallyAsync(async () =>
        {
            var response = await clerk.GetAsync("/api/cases?pageSize=500");
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            return (await response.ReadJsonAsync())["items"]!.AsArray().FirstOrDefault(c => c.Str("id") == caseId);
        }, TimeSpan.FromSeconds(30), "the case in the survivor's queue (the case_views projection)");
        queued.Str("status").ShouldBe("submitted");
        var caughtUp = await survivorManager.GetAsync("/api/admin/projections/caught-up?timeout=30");
        caughtUp.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
