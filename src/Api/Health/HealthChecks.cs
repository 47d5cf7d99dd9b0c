using GovEvents.Api.Hosting;
using GovEvents.Api.Hosting.Database;
using Npgsql;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace GovEvents.Api.Health;

/// <summary>The database answers a query on the application's connection.</summary>
public sealed class DatabaseHealthCheck(NpgsqlDataSource db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var cmd = db.CreateCommand("select 1");
            await cmd.ExecuteScalarAsync(ct);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The database cannot be reached.", e);
        }
    }
}

/// <summary>
/// The schema is what this build's Marten configuration describes (else run `migrate` or enable
/// MigrateOnStartup). Once found current it stays so for this process: only a newer build changes it.
/// </summary>
public sealed class SchemaHealthCheck(DatabaseMigrator migrator) : IHealthCheck
{
    private volatile bool _current;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (!_current) _current = !await migrator.PendingAsync(ct);
        return _current
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The schema differs from what this build needs: run `migrate` (or enable GovEvents:MigrateOnStartup).");
    }
}

/// <summary>
/// Async projections are running and close to the head. A faulted projection is Unhealthy (its
/// read model stays stale until someone acts); a lag above GovEvents:Health:MaxProjectionLag is
/// Degraded (still served: readiness answers 200, the status says it).
/// </summary>
public sealed class ProjectionLagHealthCheck(IOptions<GovEventsSettings> settings, IProjectionLagSource? source = null) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (source is null) return HealthCheckResult.Healthy("No async projections registered.");
        var lags = await source.ReadLagAsync(ct);
        var data = lags.ToDictionary(l => l.Name, l => (object)new { l.Lag, l.Faulted });
        if (lags.Where(l => l.Faulted).Select(l => l.Name).ToList() is { Count: > 0 } faulted)
            return HealthCheckResult.Unhealthy($"Faulted: {string.Join(", ", faulted)}.", data: data);
        var max = settings.Value.Health.MaxProjectionLag;
        if (lags.Where(l => l.Lag > max).Select(l => l.Name).ToList() is { Count: > 0 } behind)
            return HealthCheckResult.Degraded($"More than {max} events behind: {string.Join(", ", behind)}.", data: data);
        return HealthCheckResult.Healthy(data: data);
    }
}
