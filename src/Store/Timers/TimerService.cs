using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GovEvents.Store.Timers;

public sealed record TimerServiceOptions(bool Enabled, TimeSpan Interval);

/// <summary>Fires due timers in the background at an interval; an error is logged and the next round tries again.</summary>
public sealed class TimerService(TimerRunner runner, TimerServiceOptions options, ILogger<TimerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled) return;
        using var ticks = new PeriodicTimer(options.Interval);
        do
        {
            try
            {
                await runner.RunDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Firing due timers failed; trying again in {Interval}", options.Interval);
            }
        }
        while (await ticks.WaitForNextTickAsync(stoppingToken));
    }
}
