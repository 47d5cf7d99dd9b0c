using GovEvents.Api.Hosting;
using GovEvents.Api.Hosting.Database;
using GovEvents.EventStore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace GovEvents.Api.Health;

/// <summary>The database answers a query on the application's connection.</summary>
public sealed class DatabaseHealthCheck(PgEventStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var cmd = store.DataSource.CreateCommand("select 1");
            await cmd.ExecuteScalarAsync(ct);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The database cannot be reached.", e);
        }
    }
}

/// <summary>Every migration this build knows has been applied (else run `migrate` or enable MigrateOnStartup).</summary>
public sealed class SchemaHealthCheck(PgEventStore store, DatabaseMigrator migrator) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var current = await SchemaMigrator.CurrentVersionAsync(store.DataSource, store.Schema, ct);
        var data = new Dictionary<string, object> { ["version"] = current, ["expected"] = migrator.LatestVersion };
        return current >= migrator.LatestVersion
            ? HealthCheckResult.Healthy(data: data)
            : HealthCheckResult.Unhealthy($"Schema at version {current}, this build needs {migrator.LatestVersion}.", data: data);
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
