using System.Net.Http.Headers;
using Alba;
using GovEvents.Api.Dev;
using GovEvents.Api.Hosting;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Hosting.Database;
using GovEvents.Store;
using GovEvents.Testing;
using Marten;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace GovEvents.Api.Tests.Infrastructure;

/// <summary>
/// The real API in-process, an <see cref="AlbaHost"/> (class fixture: one host per test class, each
/// class its own collection) on its own PostgreSQL database, migrated at start-up by the superuser
/// while the API connects as an application role, as in production. Development mode is on: the
/// server clock is the <see cref="DevClock"/>, set to <see cref="Start"/> when the host starts. The
/// test-only endpoints of <see cref="TestEndpoints"/> are mapped too. <see cref="Hall"/> helps over
/// HTTP; <see cref="HallHost"/> seeds it.
/// </summary>
public class ApiHost : IAsyncLifetime, IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    /// <summary>For hosts that run with development mode off (a key is then required).</summary>
    public const string TestSigningKey = "govevents-tests-signing-key-0123456789abcdef";

    private readonly bool _ownsDatabase;
    private readonly Dictionary<string, string?> _settings;
    private IAlbaHost? _host;
    private Hall? _hall;
    private bool _disposed;

    /// <summary>A fixture with a database of its own.</summary>
    public ApiHost() : this(new TestDatabase(), ownsDatabase: true, appRole: null, configure: null) { }

    /// <summary>
    /// A host on a database the caller owns (several hosts may share one); <paramref name="appRole"/>
    /// comes from <see cref="CreateAppRole"/>. Not a fixture constructor: xunit wants exactly one.
    /// The caller starts it (<see cref="StartAsync"/>) and disposes it.
    /// </summary>
    public static ApiHost OnDatabase(TestDatabase database, string appRole, Action<IDictionary<string, string?>>? configure = null) =>
        new(database, ownsDatabase: false, appRole, configure);

    /// <summary>Creates the application's login role in <paramref name="database"/> and returns its name.</summary>
    public static string CreateAppRole(TestDatabase database)
    {
        database.CreateLoginRole("app");
        return $"{database.Name}_app";
    }

    private ApiHost(TestDatabase database, bool ownsDatabase, string? appRole, Action<IDictionary<string, string?>>? configure)
    {
        Database = database;
        _ownsDatabase = ownsDatabase;
        AppRole = appRole ?? CreateAppRole(database);
        AppConnectionString = database.RoleConnectionString(AppRole);
        _settings = new Dictionary<string, string?>
        {
            ["GovEvents:ConnectionString"] = AppConnectionString,
            ["GovEvents:MigrationConnectionString"] = database.ConnectionString,
            ["GovEvents:ApplicationRole"] = AppRole,
            ["GovEvents:Dev:Enabled"] = "true",
            // Only POST /api/dev/sweep fires timers in tests, at the clock the test set.
            ["GovEvents:Timers:Enabled"] = "false",
            // One process per database in most test classes: no node election (TwoProcessesTests turns it off).
            ["GovEvents:Wolverine:Solo"] = "true",
            ["GovEvents:Projections:PollMilliseconds"] = "200",
            ["GovEvents:OnlinePayments:Secret"] = PaymentChannelSecret,
        };
        ConfigureSettings(_settings);
        configure?.Invoke(_settings);
    }

    /// <summary>The secret the test host shares with the (simulated) unified online payment channel.</summary>
    public const string PaymentChannelSecret = "test-online-payment-channel-secret-0123456789";

    public TestDatabase Database { get; }
    public string AppRole { get; }
    public string AppConnectionString { get; }

    /// <summary>The configuration the host runs with (GovEvents:...).</summary>
    public IReadOnlyDictionary<string, string?> Settings => _settings;

    /// <summary>The running host: Alba scenarios, the test server, the services.</summary>
    public IAlbaHost Host => _host ?? throw new InvalidOperationException("The host is not started: StartAsync (a fixture starts it itself).");

    public IServiceProvider Services => Host.Services;

    /// <summary>The hall helpers over this host (seeded only by <see cref="HallHost"/>).</summary>
    public Hall Hall => _hall ??= new Hall(this);

    public DevClock Clock => Services.GetRequiredService<DevClock>();
    public EventLog Store => Services.GetRequiredService<EventLog>();
    public TestEndpoints.Counters Counters => Services.GetRequiredService<TestEndpoints.Counters>();

    /// <summary>Runs an Alba scenario through the whole pipeline (200 expected unless it says otherwise).</summary>
    public Task<IScenarioResult> Scenario(Action<Scenario> configure) => Host.Scenario(configure);

    /// <summary>Every event stored so far (what a refused command must leave unchanged).</summary>
    public async Task<int> EventCountAsync()
    {
        await using var session = Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Events.QueryAllRawEvents().CountAsync();
    }

    /// <summary>How many cases were submitted (case streams started).</summary>
    public async Task<int> CaseCountAsync()
    {
        await using var session = Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Events.QueryRawEventDataOnly<GovEvents.Domain.Cases.CaseSubmitted>().CountAsync();
    }

    /// <summary>Subclasses change the settings here (development mode off, ...).</summary>
    protected virtual void ConfigureSettings(IDictionary<string, string?> settings) { }

    /// <summary>Starts the host (migrations run now); a second call finds it started.</summary>
    public async Task StartAsync()
    {
        if (_host is not null) return;
        _host = await AlbaHost.For<Program>(builder =>
        {
            foreach (var (key, value) in _settings) builder.UseSetting(key, value);
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<IEndpointModule, TestEndpoints>();
                services.AddSingleton<TestEndpoints.Counters>();
                services.ConfigureStore(o => o.Events.MapEventType<NoteTaken>("note_taken"));
                services.AddSingleton<RecordingSweepStep>();
                services.AddSingleton<ISweepStep>(sp => sp.GetRequiredService<RecordingSweepStep>());
            });
        });
        if (_settings["GovEvents:Dev:Enabled"] == "true") Clock.Set(Start);
    }

    /// <summary>An anonymous client of the test server.</summary>
    public HttpClient CreateClient() => Host.Server.CreateClient();

    /// <summary>A client with a token for <paramref name="roles"/> (subject "user-role1-role2"); no roles: anonymous.</summary>
    public HttpClient CreateClient(params string[] roles) =>
        roles.Length == 0 ? CreateClient() : WithToken(CreateClient(), RoleToken(roles));

    /// <summary>A token for <paramref name="roles"/> as subject "user-role1-role2", for scenarios (<c>s.WithBearerToken</c>).</summary>
    public string RoleToken(params string[] roles) => TokenFor("user-" + string.Join('-', roles), roles);

    public HttpClient CreateClientFor(string subject, IEnumerable<string> roles, string? departmentCode = null) =>
        WithToken(CreateClient(), TokenFor(subject, roles, departmentCode));

    public static HttpClient WithToken(HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A token signed like the dev endpoint's, issued at the server clock's now.</summary>
    public string TokenFor(string subject, IEnumerable<string> roles, string? departmentCode = null, TimeSpan? lifetime = null) =>
        Services.GetRequiredService<TokenIssuer>().Issue(subject, roles, departmentCode, lifetime: lifetime);

    public virtual Task InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public virtual async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (_host is not null) await _host.DisposeAsync();
        if (_ownsDatabase) await Database.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// The hall fixture: a host on its own database with the <see cref="HallSeed"/> hall in it. A test
/// class takes <c>IClassFixture&lt;HallHost&gt;</c> and works through <see cref="ApiHost.Hall"/>;
/// what a test adds (matters, fee items, cases) it names uniquely, so tests share the seed safely.
/// </summary>
public class HallHost : ApiHost
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await HallSeed.SeedAsync(Hall);
    }
}

/// <summary>Development mode off: no /api/dev, the system clock, a configured signing key.</summary>
public sealed class ProductionModeApiHost : ApiHost
{
    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        settings["GovEvents:Dev:Enabled"] = "false";
        settings["GovEvents:Jwt:SigningKey"] = TestSigningKey;
    }
}
