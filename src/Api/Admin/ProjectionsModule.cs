using System.Collections.Concurrent;
using GovEvents.Api.Common;
using GovEvents.Api.Health;
using GovEvents.Api.Hosting.Auth;
using JasperFx;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;

namespace GovEvents.Api.Admin;

public sealed record ProjectionStatusResponse(string Name, long Position, long Lag, string Status, string? Error, long? FailedSequence, long? RebuildDone, long? RebuildTotal);

/// <summary>
/// The async projections as Marten's daemon runs them: their position and lag against the newest
/// event, rebuilds in the background, resuming a stopped one, and waiting until all caught up.
/// </summary>
public static class ProjectionsModule
{
    public static IServiceCollection AddProjections(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ProjectionAdmin>();
        services.AddSingleton<IProjectionLagSource>(sp => sp.GetRequiredService<ProjectionAdmin>());
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

    private static async Task<IResult> List(ProjectionAdmin admin, CancellationToken ct) => Results.Ok(await admin.StatusAsync(ct));

    /// <summary>202 at once; the rebuild runs in the background and the list shows it rebuilding.</summary>
    private static IResult Rebuild(string name, ProjectionAdmin admin)
    {
        if (!admin.Names.Contains(name)) return CommandResults.NotFound($"No async projection {name}.");
        if (!admin.RunsHere) return OnAnotherNode();
        admin.StartRebuild(name);
        return Results.Accepted("/api/admin/projections", new { name, status = "rebuilding" });
    }

    private static async Task<IResult> Resume(string name, ProjectionAdmin admin, CancellationToken ct)
    {
        if (!admin.Names.Contains(name)) return CommandResults.NotFound($"No async projection {name}.");
        if (!admin.RunsHere) return OnAnotherNode();
        await admin.ResumeAsync(name, ct);
        return Results.Accepted("/api/admin/projections", new { name, status = "resumed" });
    }

    private static IResult OnAnotherNode() => CommandResults.Conflict(
        "The projections run on another node of this cluster: ask that node (or retry; Wolverine moves them when nodes come and go).");

    private static async Task<IResult> CaughtUp(double? timeout, ProjectionAdmin admin, CancellationToken ct)
    {
        if (timeout is < 0 or > 300) return CommandResults.Invalid("timeout", "0 to 300 seconds.");
        return await admin.WaitForCaughtUpAsync(TimeSpan.FromSeconds(timeout ?? 10), ct)
            ? Results.Ok(new { caughtUp = true })
            : Results.Problem(statusCode: StatusCodes.Status504GatewayTimeout, title: "Projections are behind",
                detail: $"Not every projection reached the head within {timeout ?? 10} s.");
    }
}

/// <summary>What the admin endpoints and readiness know of Marten's async daemon on this node.</summary>
public sealed class ProjectionAdmin(IDocumentStore store, NpgsqlDataSource dataSource, Marten.Events.Daemon.Coordination.IProjectionCoordinator coordinator,
    IHostApplicationLifetime lifetime, ILogger<ProjectionAdmin> log) : IProjectionLagSource
{
    private readonly ConcurrentDictionary<string, string> _rebuilding = new(StringComparer.Ordinal);

    /// <summary>The async projections' names.</summary>
    public IReadOnlyList<string> Names { get; } = ((DocumentStore)store).Options.Projections.AllShards()
        .Select(s => s.Name.Name).Distinct().ToList();

    private string Schema => store.Options.DatabaseSchemaName;

    public async Task<IReadOnlyList<ProjectionStatusResponse>> StatusAsync(CancellationToken ct)
    {
        var head = await HeadAsync(ct);
        var positions = await PositionsAsync(ct);
        var daemon = LocalDaemon();
        var agents = daemon?.CurrentAgents() ?? [];
        return Names.Select(name =>
        {
            var position = positions.GetValueOrDefault(name);
            var agent = agents.FirstOrDefault(a => a.Name.Name == name);
            var status = _rebuilding.ContainsKey(name) ? "rebuilding"
                : agent is null ? (daemon is null ? "on-another-node" : "stopped")
                : agent.Status == AgentStatus.Running ? "running"
                : agent.Status == AgentStatus.Paused ? "faulted" : "stopped";
            var rebuilding = status == "rebuilding";
            return new ProjectionStatusResponse(name, position, Math.Max(0, head - position), status,
                agent?.Status == AgentStatus.Paused ? "stopped on an error: see the log; resume when fixed" : null,
                null, rebuilding ? Math.Min(position, head) : null, rebuilding ? head : null);
        }).ToList();
    }

    /// <summary>This node's daemon; null when Wolverine runs the projections on another node.</summary>
    private IProjectionDaemon? LocalDaemon()
    {
        try { return coordinator.DaemonForMainDatabase(); }
        catch (Wolverine.Runtime.Agents.DaemonNotRunningOnThisNodeException) { return null; }
    }

    /// <summary>Whether this node runs the projections (rebuilds and resumes are asked of the node that does).</summary>
    public bool RunsHere => LocalDaemon() is not null;

    public void StartRebuild(string name)
    {
        if (!_rebuilding.TryAdd(name, "rebuilding")) return;
        _ = Task.Run(async () =>
        {
            try
            {
                var daemon = coordinator.DaemonForMainDatabase();
                await daemon.RebuildProjectionAsync(name, TimeSpan.FromMinutes(30), lifetime.ApplicationStopping);
            }
            catch (OperationCanceledException) { }
            catch (Exception e) { log.LogError(e, "Rebuild of {Projection} failed", name); }
            finally { _rebuilding.TryRemove(name, out _); }
        });
    }

    public async Task ResumeAsync(string name, CancellationToken ct)
    {
        var daemon = coordinator.DaemonForMainDatabase();
        await daemon.StartAgentAsync($"{name}:All", ct);
    }

    public async Task<bool> WaitForCaughtUpAsync(TimeSpan timeout, CancellationToken ct)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var head = await HeadAsync(ct);
            var positions = await PositionsAsync(ct);
            if (_rebuilding.IsEmpty && Names.All(n => positions.GetValueOrDefault(n) >= head)) return true;
            if (DateTime.UtcNow >= until) return false;
            await Task.Delay(50, ct);
        }
    }

    public async Task<IReadOnlyList<Health.ProjectionLag>> ReadLagAsync(CancellationToken ct) =>
        (await StatusAsync(ct)).Select(s => new Health.ProjectionLag(s.Name, s.Lag, s.Status == "faulted")).ToList();

    /// <summary>The newest event's sequence (0 when there is none).</summary>
    private async Task<long> HeadAsync(CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"select coalesce(max(seq_id), 0) from {Schema}.mt_events");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private async Task<Dictionary<string, long>> PositionsAsync(CancellationToken ct) =>
        (await store.Advanced.AllProjectionProgress(token: ct))
            .Where(s => !s.ShardName.StartsWith("HighWaterMark", StringComparison.Ordinal))
            .GroupBy(s => s.ShardName.Split(':')[0])
            .ToDictionary(g => g.Key, g => g.Min(s => s.Sequence));
}
