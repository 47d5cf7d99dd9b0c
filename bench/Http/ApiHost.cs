using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovEvents.Api.Demo;
using GovEvents.Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GovEvents.Bench.Http;

/// <summary>
/// The real API in this process: the host of src/Api/Program.cs (AddGovEvents, UseGovEvents) on Kestrel on a
/// loopback port, development mode on (dev tokens, the dev clock), its own schema in the benchmark database,
/// migrated at start-up; the async daemon (case and complaint views), timers and everything else as configured.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    public const string Schema = "govevents_api";

    /// <summary>The hall's Monday 2 March 2026, 09:00, at which the dev clock stands (every act of the run at this instant).</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    private readonly WebApplication _app;

    private ApiHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Handler = new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
    }

    public Uri Address { get; }

    /// <summary>One connection pool of HTTP/1.1 keep-alive connections shared by the benchmark's clients.</summary>
    public SocketsHttpHandler Handler { get; }

    /// <summary>The API's Npgsql data sources (its own and the one Marten's database uses), to empty their pools before a row.</summary>
    public IEnumerable<NpgsqlDataSource> DataSources
    {
        get
        {
            yield return _app.Services.GetRequiredService<NpgsqlDataSource>();
            if (_app.Services.GetRequiredService<Marten.IDocumentStore>().Storage.Database is Weasel.Postgresql.PostgresqlDatabase database) yield return database.DataSource;
        }
    }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient(Handler, disposeHandler: false) { BaseAddress = Address };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<ApiHost> StartAsync(string connectionString, CancellationToken ct)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GovEvents:ConnectionString"] = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = BenchDatabase.ApiApplication }.ConnectionString,
            ["GovEvents:Schema"] = Schema,
            ["GovEvents:Dev:Enabled"] = "true",
            ["GovEvents:MigrateOnStartup"] = "true",
        });
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddGovEvents();
        var app = builder.Build();
        app.UseGovEvents();
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ApiHost(app, new Uri(address));
    }

    /// <summary>A dev token for <paramref name="subject"/> (POST /api/dev/tokens).</summary>
    public async Task<string> TokenAsync(string subject, string[] roles, string? departmentCode, string? windowCode, CancellationToken ct)
    {
        using var client = Client();
        var response = await client.PostAsJsonAsync("/api/dev/tokens", new { subject, roles, departmentCode, windowCode }, ct);
        await EnsureAsync(response, HttpStatusCode.OK, ct);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!["token"]!.GetValue<string>();
    }

    public static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, CancellationToken ct)
    {
        if (response.StatusCode != expected)
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: " +
                                                $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    /// <summary>
    /// The hall, seeded through HTTP as its manager: dev clock at <see cref="Start"/>, the 2026 calendar, departments
    /// HALL and MARKET, window ZH-01 with clerk-1, MARKET's handler, reviewer and approver with delegations, and the
    /// three-tier matter BENCH3 (one mandatory material).
    /// </summary>
    public async Task SeedHallAsync(CancellationToken ct)
    {
        using (var anonymous = Client())
            await EnsureAsync(await anonymous.PutAsJsonAsync("/api/dev/clock", new { now = Start }, ct), HttpStatusCode.OK, ct);
        using var m = Client(await TokenAsync("manager-1", ["manager"], "HALL", null, ct));
        async Task Send(Task<HttpResponseMessage> request, HttpStatusCode expected) => await EnsureAsync(await request, expected, ct);

        await Send(m.PutAsJsonAsync("/api/calendar/2026", new { holidays = DemoData.Holidays2026, workdays = DemoData.Workdays2026 }, ct), HttpStatusCode.OK);
        foreach (var d in new[] { "HALL", "MARKET" })
            await Send(m.PostAsJsonAsync("/api/departments", new { code = d, name = $"{d} department", leaderStaffId = $"{d.ToLowerInvariant()}-lead" }, ct), HttpStatusCode.Created);
        await Send(m.PostAsJsonAsync("/api/windows", new { code = "ZH-01", name = "综合受理窗口一", kind = "comprehensive", departmentCode = "HALL", staffA = "clerk-1", staffB = "clerk-2" }, ct), HttpStatusCode.Created);
        foreach (var (id, dept, window) in new (string, string, string?)[]
                 {
                     ("clerk-1", "HALL", "ZH-01"), ("clerk-2", "HALL", "ZH-01"), ("manager-1", "HALL", null), ("hall-lead", "HALL", null),
                     ("market-h1", "MARKET", null), ("market-r1", "MARKET", null), ("market-a1", "MARKET", null), ("market-lead", "MARKET", null),
                 })
            await Send(m.PostAsJsonAsync("/api/staff", new { id, name = id, departmentCode = dept, windowCode = window }, ct), HttpStatusCode.Created);
        foreach (var (staffId, tier) in new[] { ("market-h1", "handler"), ("market-r1", "reviewer"), ("market-a1", "approver") })
            await Send(m.PostAsJsonAsync("/api/delegations", new
            {
                staffId, departmentCode = "MARKET", matterCodes = new[] { "*" }, tiers = new[] { tier },
                validFrom = new DateOnly(2026, 1, 1), validTo = new DateOnly(2026, 12, 31),
            }, ct), HttpStatusCode.Created);
        await Send(m.PostAsJsonAsync("/api/matters", new
        {
            code = CommandPath.Matter, name = "食品经营许可（基准）", category = "licensing", departmentCode = "MARKET", legalBasis = "《中华人民共和国行政许可法》",
            level = "city", serviceObject = "both", statutoryDays = 20, promisedDays = 10, tiers = 3,
            materials = new[] { new { code = "form", name = "申请书", mandatory = true, deferrable = false } },
            feeItemCodes = Array.Empty<string>(), onTheSpot = false, instantApproval = false, specialProcedures = Array.Empty<object>(),
        }, ct), HttpStatusCode.Created);
    }

    public async ValueTask DisposeAsync()
    {
        Handler.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
