using System.Net.Http.Headers;
using GovEvents.Api.Dev;
using GovEvents.Api.Hosting;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Hosting.Database;
using GovEvents.Store;
using GovEvents.Testing;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace GovEvents.Api.Tests.Infrastructure;

/// <summary>
/// The real API in-process (class fixture) on its own PostgreSQL database, migrated at start-up by
/// the superuser while the API connects as an application role, as in production. Development mode
/// is on: the server clock is the <see cref="DevClock"/>, set to <see cref="Start"/> before each
/// test class. The test-only endpoints of <see cref="TestEndpoints"/> are mapped too.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    /// <summary>For hosts that run with development mode off (a key is then required).</summary>
    public const string TestSigningKey = "govevents-tests-signing-key-0123456789abcdef";

    private readonly bool _ownsDatabase;
    private readonly Dictionary<string, string?> _settings;
    private bool _disposed;

    /// <summary>A fixture with a database of its own.</summary>
    public ApiFactory() : this(new TestDatabase(), ownsDatabase: true, appRole: null, configure: null) { }

    /// <summary>
    /// A host on a database the caller owns (several hosts may share one); <paramref name="appRole"/>
    /// comes from <see cref="CreateAppRole"/>. Not a fixture constructor: xunit wants exactly one.
    /// </summary>
    public static ApiFactory OnDatabase(TestDatabase database, string appRole, Action<IDictionary<string, string?>>? configure = null) =>
        new(database, ownsDatabase: false, appRole, configure);

    /// <summary>Creates the application's login role in <paramref name="database"/> and returns its name.</summary>
    public static string CreateAppRole(TestDatabase database)
    {
        database.CreateLoginRole("app");
        return $"{database.Name}_app";
    }

    private ApiFactory(TestDatabase database, bool ownsDatabase, string? appRole, Action<IDictionary<string, string?>>? configure)
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
        };
        ConfigureSettings(_settings);
        configure?.Invoke(_settings);
    }

    public TestDatabase Database { get; }
    public string AppRole { get; }
    public string AppConnectionString { get; }

    /// <summary>The configuration the host runs with (GovEvents:...).</summary>
    public IReadOnlyDictionary<string, string?> Settings => _settings;

    public DevClock Clock => Services.GetRequiredService<DevClock>();
    public EventLog Store => Services.GetRequiredService<EventLog>();

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
    public TestEndpoints.Counters Counters => Services.GetRequiredService<TestEndpoints.Counters>();

    /// <summary>Subclasses change the settings here (development mode off, ...).</summary>
    protected virtual void ConfigureSettings(IDictionary<string, string?> settings) { }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
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
    }

    /// <summary>A client with a token for <paramref name="roles"/> (subject "user-role1-role2"); no roles: anonymous.</summary>
    public HttpClient CreateClient(params string[] roles) =>
        roles.Length == 0 ? base.CreateClient() : CreateClientFor("user-" + string.Join('-', roles), roles);

    public HttpClient CreateClientFor(string subject, IEnumerable<string> roles, string? departmentCode = null) =>
        WithToken(base.CreateClient(), TokenFor(subject, roles, departmentCode));

    public static HttpClient WithToken(HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A token signed like the dev endpoint's, issued at the server clock's now.</summary>
    public string TokenFor(string subject, IEnumerable<string> roles, string? departmentCode = null, TimeSpan? lifetime = null) =>
        Services.GetRequiredService<TokenIssuer>().Issue(subject, roles, departmentCode, lifetime: lifetime);

    public virtual Task InitializeAsync()
    {
        _ = Server; // starts the host: migrations run now
        if (_settings["GovEvents:Dev:Enabled"] == "true") Clock.Set(Start);
        return Task.CompletedTask;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public override async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await base.DisposeAsync();
        if (_ownsDatabase) await Database.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Development mode off: no /api/dev, the system clock, a configured signing key.</summary>
public sealed class ProductionModeApiFactory : ApiFactory
{
    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        settings["GovEvents:Dev:Enabled"] = "false";
        settings["GovEvents:Jwt:SigningKey"] = TestSigningKey;
    }
}
