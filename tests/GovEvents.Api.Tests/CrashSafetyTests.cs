using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using GovEvents.Api.Tests.Infrastructure;
using GovEvents.Testing;
using Npgsql;
using Shouldly;

namespace GovEvents.Api.Tests;

/// <summary>
/// The API as a separate process, killed with SIGKILL in the middle of a burst of submissions: every
/// retry with the same Idempotency-Key gets the first answer or runs afresh, never a second case,
/// never a refusal for a command that was applied, never a wait on a stale claim.
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
        var keys = Enumerable.Range(0, Submissions).Select(i => $"crash-{i}-{Guid.NewGuid():N}").ToArray();
        var firstAnswers = new Dictionary<string, string>();
        int Answered() { lock (firstAnswers) return firstAnswers.Count; }

        using (var first = await ApiProcess.StartAsync(db, role))
        {
            var clerk = await first.ClientForAsync("clerk-1", "clerk");
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
            // Kill once some answers are out and others are still running.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Answered() < 2 && DateTime.UtcNow < deadline) await Task.Delay(5);
            first.Kill();
            await Task.WhenAll(burst);
        }
        firstAnswers.Count.ShouldBeLessThan(Submissions, "the kill came too late to interrupt anything");

        using var second = await ApiProcess.StartAsync(db, role);
        var retrying = await second.ClientForAsync("clerk-1", "clerk");
        var ids = new Dictionary<string, string>();
        foreach (var key in keys)
        {
            var retry = await retrying.SendAsync(Http.Post("/api/cases", Submission, key));
            retry.StatusCode.ShouldBe(HttpStatusCode.Created, $"retry of {key}: {await retry.Content.ReadAsStringAsync()}");
            ids[key] = (await retry.ReadJsonAsync())["id"]!.GetValue<string>();
            if (firstAnswers.TryGetValue(key, out var answered)) ids[key].ShouldBe(answered, "a replay gives the first answer");
        }

        ids.Values.Distinct().Count().ShouldBe(Submissions);
        (await CountAsync(db, "select count(*) from govevents.mt_events where type = 'case_submitted'")).ShouldBe(Submissions);
    }

    private static async Task<long> CountAsync(TestDatabase db, string sql)
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>The built API (src/Api's output) run with `dotnet`, on a loopback port of its own.</summary>
    private sealed class ApiProcess : IDisposable
    {
        private readonly Process _process;
        private readonly Uri _base;

        private ApiProcess(Process process, Uri baseAddress)
        {
            _process = process;
            _base = baseAddress;
        }

        public static async Task<ApiProcess> StartAsync(TestDatabase db, string role)
        {
            var port = FreePort();
            var dll = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "Api", "bin",
                new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "GovEvents.Api.dll"));
            File.Exists(dll).ShouldBeTrue($"the API is built at {dll}");
            var start = new ProcessStartInfo("dotnet", [dll])
            {
                WorkingDirectory = Path.GetDirectoryName(dll)!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment =
                {
                    ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                    ["GovEvents__ConnectionString"] = db.RoleConnectionString(role),
                    ["GovEvents__MigrationConnectionString"] = db.ConnectionString,
                    ["GovEvents__ApplicationRole"] = role,
                    ["GovEvents__Dev__Enabled"] = "true",
                    ["GovEvents__Demo__Load"] = "true",
                    ["GovEvents__Wolverine__Solo"] = "true",
                    ["Logging__LogLevel__Default"] = "Warning",
                },
            };
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var api = new ApiProcess(process, new Uri($"http://127.0.0.1:{port}"));
            using var probe = new HttpClient { BaseAddress = api._base };
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (true)
            {
                process.HasExited.ShouldBeFalse("the API process exited during start-up");
                try
                {
                    if ((await probe.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK) return api;
                }
                catch (HttpRequestException) { }
                if (DateTime.UtcNow > deadline) throw new TimeoutException("The API process did not become ready in 90 s.");
                await Task.Delay(200);
            }
        }

        public async Task<HttpClient> ClientForAsync(string subject, string role)
        {
            using var anonymous = new HttpClient { BaseAddress = _base };
            var issued = await anonymous.PostAsJsonAsync("/api/dev/tokens", new { subject, roles = new[] { role }, departmentCode = "HALL" });
            issued.StatusCode.ShouldBe(HttpStatusCode.OK);
            var client = new HttpClient { BaseAddress = _base, Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await issued.ReadJsonAsync())["token"]!.GetValue<string>());
            return client;
        }

        /// <summary>SIGKILL: no shutdown, no flushing, as a crash.</summary>
        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited) Kill();
            _process.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
