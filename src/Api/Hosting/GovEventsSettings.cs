namespace GovEvents.Api.Hosting;

/// <summary>The "GovEvents" configuration section (environment: GovEvents__Dev__Enabled=true, ...).</summary>
public sealed class GovEventsSettings
{
    public const string Section = "GovEvents";

    /// <summary>Npgsql connection string of the application role (appends, reads, projections).</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Owner connection that may run DDL; the application string when not set.</summary>
    public string? MigrationConnectionString { get; set; }

    public string Schema { get; set; } = "govevents";

    /// <summary>When set, migrations grant this role only what the application needs.</summary>
    public string? ApplicationRole { get; set; }

    /// <summary>Migrate at start-up; turn off where the application role may not run DDL (then run `migrate`).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>The hall's IANA time zone: deadlines, working days and every time the API writes.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    public DevSettings Dev { get; set; } = new();
    public JwtSettings Jwt { get; set; } = new();
    public DemoSettings Demo { get; set; } = new();
    public HealthSettings Health { get; set; } = new();
    public PublicLookupSettings PublicLookup { get; set; } = new();
    public OnlinePaymentSettings OnlinePayments { get; set; } = new();

    /// <summary>Swagger UI and the OpenAPI document (/swagger): always in development mode, otherwise only when set.</summary>
    public bool Swagger { get; set; }

    /// <summary>The largest request body accepted; a larger one is a 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 256 * 1024;

    public bool ServesSwagger => Swagger || Dev.Enabled;

    public string OwnerConnectionString =>
        string.IsNullOrWhiteSpace(MigrationConnectionString) ? ConnectionString : MigrationConnectionString;

    /// <summary>
    /// The connection string with Persist Security Info on, so that a connection's string read back keeps its
    /// password. Without it, with a role that logs in with a password, the retries after a crash of PostgreSQL
    /// created some cases twice (CrashSafetyTests; the component that reads a string back is not yet pinned down).
    /// </summary>
    public static string KeepingPassword(string connectionString) =>
        string.IsNullOrWhiteSpace(connectionString) ? connectionString
            : new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { PersistSecurityInfo = true }.ConnectionString;
}

public sealed class DevSettings
{
    /// <summary>Dev tokens, a settable clock and an on-demand sweep under /api/dev; never in production.</summary>
    public bool Enabled { get; set; }
}

public sealed class JwtSettings
{
    public string Issuer { get; set; } = "govevents";
    public string Audience { get; set; } = "govevents";

    /// <summary>HMAC-SHA256 key, at least 32 bytes (UTF-8). Optional in development mode only.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Lifetime of the tokens the dev endpoint issues.</summary>
    public int TokenLifetimeMinutes { get; set; } = 480;

    /// <summary>Tolerance between the issuer's clock and ours when checking a token's lifetime.</summary>
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>Used when development mode is on and no key is configured: public, so never trusted elsewhere.</summary>
    public const string DevSigningKey = "govevents-development-signing-key-not-for-production";

    public const int MinimumKeyBytes = 32;

    public string EffectiveSigningKey(bool devMode) =>
        SigningKey is { Length: > 0 } key ? key
        : devMode ? DevSigningKey
        : throw new InvalidOperationException("GovEvents:Jwt:SigningKey is required outside development mode.");
}

public sealed class DemoSettings
{
    /// <summary>Load the demo dataset at start-up (once per database) when an IDemoDataLoader is registered.</summary>
    public bool Load { get; set; }
}

public sealed class PublicLookupSettings
{
    /// <summary>Lookups one client (IP address) may make per window.</summary>
    public int PerClient { get; set; } = 30;

    /// <summary>Lookups of one case number per window, from all clients together.</summary>
    public int PerCase { get; set; } = 10;

    public double WindowSeconds { get; set; } = 60;
}

/// <summary>The unified online payment channel (统一网上支付平台): its notifications are signed with a secret shared with it.</summary>
public sealed class OnlinePaymentSettings
{
    public const int MinimumSecretBytes = 32;

    /// <summary>The shared secret the channel signs its notifications with (HMAC-SHA256); none: online payments cannot be confirmed.</summary>
    public string? Secret { get; set; }

    /// <summary>How far a notification's timestamp may be from the server's clock; older notifications are refused as replays.</summary>
    public int ToleranceSeconds { get; set; } = 300;
}

public sealed class HealthSettings
{
    /// <summary>Projection lag (events behind the head) above which /health/ready reports Degraded.</summary>
    public long MaxProjectionLag { get; set; } = 10_000;
}
