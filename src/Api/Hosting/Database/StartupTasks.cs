using Microsoft.Extensions.Options;

namespace GovEvents.Api.Hosting.Database;

/// <summary>
/// Loads the demo dataset (registered by the demo feature); it must itself do nothing when the
/// database already holds it, since it runs at every start with GovEvents:Demo:Load=true.
/// </summary>
public interface IDemoDataLoader
{
    Task LoadAsync(CancellationToken ct);
}

/// <summary>
/// Migrates (GovEvents:MigrateOnStartup) and loads the demo dataset before anything else starts:
/// IHostedLifecycleService.StartingAsync runs ahead of every hosted service and of the server,
/// so no request and no projection daemon sees an old schema.
/// </summary>
public sealed class StartupTasks(
    IOptions<GovEventsSettings> settings, DatabaseMigrator migrator, IServiceProvider services, ILogger<StartupTasks> log)
    : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken ct)
    {
        var s = settings.Value;
        if (s.MigrateOnStartup)
        {
            if (await migrator.MigrateAsync(ct)) log.LogInformation("Migrated schema {Schema}", s.Schema);
        }
        else if (await migrator.PendingAsync(ct))
        {
            // Wolverine needs its tables to start at all: say what to do instead of failing on a missing table.
            throw new InvalidOperationException(
                $"Schema '{s.Schema}' is not what this build needs and GovEvents:MigrateOnStartup is false: run `dotnet GovEvents.Api.dll migrate` first.");
        }
        if (s.Demo.Load && services.GetService<IDemoDataLoader>() is { } loader)
        {
            log.LogInformation("Loading the demo dataset");
            await loader.LoadAsync(ct);
        }
    }

    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken ct) => Task.CompletedTask;
}
