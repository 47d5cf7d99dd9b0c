using GovEvents.Api.Cases;
using GovEvents.Api.Health;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Common;
using GovEvents.EventStore;

namespace GovEvents.Api.Admin;

public sealed record ProjectionStatusResponse(string Name, long Position, long Lag, string Status, string? Error, long? FailedSequence, long? RebuildDone, long? RebuildTotal);

/// <summary>
/// The async projection daemon in the host (every IProjection registered as a service), the
/// inline projections' tables, the admin endpoints and the lag /health/ready reports.
/// </summary>
public static class ProjectionsModule
{
    public static IServiceCollection AddProjections(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => new ProjectionDaemonOptions
        {
            PollInterval = TimeSpan.FromMilliseconds(configuration.GetValue("GovEvents:Projections:PollMilliseconds", 1000)),
        });
        services.AddSingleton(sp => new ProjectionDaemon(sp.GetRequiredService<PgEventStore>(), sp.GetServices<IProjection>(),
            sp.GetRequiredService<ProjectionDaemonOptions>(), sp.GetRequiredService<ILogger<ProjectionDaemon>>()));
        services.AddHostedService<ProjectionsStartup>();
        services.AddSingleton<IProjectionLagSource, DaemonLagSource>();
        return services;
    }

    public static IEndpointRouteBuilder MapProjectionAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin/projections").WithTags("Admin");
        admin.MapGet("/", List).RequireAuthorization(Policies.ProjectionsAdmin);
        admin.MapPost("/{name}/rebuild", Rebuild).RequireAuthorization(Policies.ProjectionsAdmin);
        admin.MapPost("/{name}/resume", Resume).RequireAuthorization(Policies.ProjectionsAdmin);
        admin.MapGet("/caught-up", CaughtUp).RequireAuthorization(Policies.CaughtUp);
        return app;
    }

    private static async Task<IResult> List(ProjectionDaemon daemon, CancellationToken ct) =>
        Results.Ok((await daemon.StatusAsync(ct)).Select(s => new ProjectionStatusResponse(s.Name, s.Position, s.Lag, s.Status, s.Error, s.FailedSequence, s.RebuildDone, s.RebuildTotal)).ToList());

    /// <summary>202 at once; the rebuild runs in the background and reports progress on the list.</summary>
    private static async Task<IResult> Rebuild(string name, ProjectionDaemon daemon, IHostApplicationLifetime lifetime, ILogger<ProjectionDaemon> log, CancellationToken ct)
    {
        if (!(await daemon.StatusAsync(ct)).Any(s => s.Name == name)) return CommandResults.NotFound($"No async projection {name}.");
        _ = Task.Run(async () =>
        {
            try { await daemon.RebuildAsync(name, lifetime.ApplicationStopping); }
            catch (OperationCanceledException) { }
            catch (Exception e) { log.LogError(e, "Rebuild of {Projection} failed", name); }
        });
        return Results.Accepted("/api/admin/projections", new { name, status = "rebuilding" });
    }

    private static async Task<IResult> Resume(string name, ProjectionDaemon daemon, CancellationToken ct)
    {
        if (!(await daemon.StatusAsync(ct)).Any(s => s.Name == name)) return CommandResults.NotFound($"No async projection {name}.");
        await daemon.ResumeAsync(name, ct);
        return Results.Accepted("/api/admin/projections", new { name, status = "resumed" });
    }

    private static async Task<IResult> CaughtUp(double? timeout, ProjectionDaemon daemon, CancellationToken ct)
    {
        if (timeout is < 0 or > 300) return CommandResults.Invalid("timeout", "0 to 300 seconds.");
        return await daemon.WaitForCaughtUpAsync(TimeSpan.FromSeconds(timeout ?? 10), ct)
            ? Results.Ok(new { caughtUp = true })
            : Results.Problem(statusCode: StatusCodes.Status504GatewayTimeout, title: "Projections are behind",
                detail: $"Not every projection reached the head within {timeout ?? 10} s.");
    }
}

/// <summary>
/// Creates the inline projections' tables and starts the daemon once the schema is current: at
/// once after start-up migration, or, where the `migrate` command runs separately, as soon as it
/// has (checked every few seconds), so the API starts either way and is ready when the schema is.
/// </summary>
public sealed class ProjectionsStartup(PgEventStore store, InlineProjections inline, ProjectionDaemon daemon,
    Hosting.Database.DatabaseMigrator migrator, ILogger<ProjectionsStartup> log) : IHostedService
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _waiting;

    public async Task StartAsync(CancellationToken ct)
    {
        if (await SchemaCurrentAsync(ct)) await StartProjectionsAsync(ct);
        else _waiting = Task.Run(() => WaitForSchemaAsync(_stop.Token), CancellationToken.None);
    }

    private async Task<bool> SchemaCurrentAsync(CancellationToken ct) =>
        await SchemaMigrator.CurrentVersionAsync(store.DataSource, store.Schema, ct) >= migrator.LatestVersion;

    private async Task StartProjectionsAsync(CancellationToken ct)
    {
        await using (var tables = new ProjectionDaemon(store, inline.All)) await tables.EnsureTablesAsync(ct);
        await daemon.StartAsync(ct);
    }

    private async Task WaitForSchemaAsync(CancellationToken stop)
    {
        log.LogWarning("Schema {Schema} is not current: projections start once the migrate command has run", store.Schema);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), stop);
                if (!await SchemaCurrentAsync(stop)) continue;
                await StartProjectionsAsync(stop);
                return;
            }
            catch (OperationCanceledException) { return; }
            catch (Exception e) { log.LogWarning(e, "Projections not started yet"); }
        }
    }

    public async Task StopAsync(CancellationToken ct)
    {
        await _stop.CancelAsync();
        if (_waiting is not null) await _waiting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await daemon.StopAsync();
    }
}

public sealed class DaemonLagSource(ProjectionDaemon daemon) : IProjectionLagSource
{
    public async Task<IReadOnlyList<ProjectionLag>> ReadLagAsync(CancellationToken ct) =>
        (await daemon.StatusAsync(ct)).Select(s => new ProjectionLag(s.Name, s.Lag, s.Status == "faulted")).ToList();
}
