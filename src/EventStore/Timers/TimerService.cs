using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GovEvents.EventStore;

public sealed class TimerServiceOptions
{
    /// <summary>How often due timers are looked for.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>False leaves timers to explicit sweeps (tests, POST /api/dev/sweep).</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>Runs <see cref="TimerRunner.RunDueAsync"/> every <see cref="TimerServiceOptions.Interval"/>.</summary>
public sealed class TimerService(TimerRunner runner, TimerServiceOptions options, ILogger<TimerService>? logger = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled) return;
        // The period is wall-clock; whether a timer is due is decided by the store's TimeProvider.
        using var ticks = new PeriodicTimer(options.Interval);
        try
        {
            do
            {
                try
                {
                    await runner.RunDueAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // A lost connection must not stop the timers for good; the next tick tries again.
                    logger?.LogError(ex, "Running due timers failed");
                }
            } while (await ticks.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

public static class TimerServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="TimerRunner"/> and the <see cref="TimerService"/> that drives it.
    /// Expects <see cref="PgEventStore"/> and <see cref="TimerRegistry"/> to be registered.
    /// </summary>
    public static IServiceCollection AddEventStoreTimers(this IServiceCollection services, Action<TimerServiceOptions>? configure = null)
    {
        var options = new TimerServiceOptions();
        configure?.Invoke(options);
        services.AddSingleton(options);
        services.AddSingleton(sp => new TimerRunner(
            sp.GetRequiredService<PgEventStore>(), sp.GetRequiredService<TimerRegistry>(), sp.GetService<ILogger<TimerRunner>>()));
        services.AddHostedService<TimerService>();
        return services;
    }
}
