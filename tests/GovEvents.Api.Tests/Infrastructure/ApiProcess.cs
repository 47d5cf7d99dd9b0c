using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using GovEvents.Testing;
using Shouldly;

namespace GovEvents.Api.Tests.Infrastructure;

/// <summary>The built API (src/Api's output) run with `dotnet`, on a loopback port of its own.</summary>
public sealed class ApiProcess : IDisposable
{
    private readonly Process _process;
    private readonly Uri _base;
    private readonly System.Text.StringBuilder _output = new();

    /// <summary>What the process wrote to stdout and stderr so far (its log).</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    private void Capture(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private ApiProcess(Process process, Uri baseAddress)
    {
        _process = process;
        _base = baseAddress;
    }

    /// <summary>Starts the API on <paramref name="db"/> as <paramref name="role"/>; <paramref name="settings"/> override the environment (e.g. "GovEvents__Wolverine__Solo").</summary>
    public static async Task<ApiProcess> StartAsync(TestDatabase db, string role, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = PrivateCluster.FreePort();
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
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = Process.Start(start)!;
        var api = new ApiProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => api.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => api.Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
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

}
