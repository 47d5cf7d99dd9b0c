using GovEvents.Store;
using GovEvents.Store.Timers;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace GovEvents.Api.Timers;

/// <summary>A durable timer that is due: fire it (the runner locks it, reloads its stream and lets the state decide).</summary>
public sealed record FireTimer(string TimerId);

/// <summary>
/// Handles <see cref="FireTimer"/> from Wolverine's durable local queue (the poller) or in process (the
/// sweep): a message survives a crash of the process that took it and is tried again. Firing is
/// idempotent (a timer already fired or moved on decides nothing), so a message sent twice fires once.
/// When a command appended to the timer's stream meanwhile, Wolverine runs the handler again on the
/// fresh state, a few times; after that the conflict is recorded and the timer retried later.
/// </summary>
public static class FireTimerHandler
{
    public const int ConflictRetries = 4;

    public static void Configure(HandlerChain chain) =>
        chain.OnException<ConcurrencyException>().RetryWithCooldown(
            TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(25), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100));

    public static Task Handle(FireTimer message, Envelope envelope, TimerRunner runner, CancellationToken ct) =>
        runner.FireAsync(message.TimerId, throwOnConflict: envelope.Attempts <= ConflictRetries, ct);
}

public sealed record TimerPollerOptions(bool Enabled, TimeSpan Interval);

/// <summary>
/// Looks for due timers by the hall clock at an interval and sends a <see cref="FireTimer"/> for each.
/// Wolverine's scheduled messages run on the wall clock, which the development mode cannot move;
/// the timers live as Marten documents by the hall clock instead, and this poller hands them to Wolverine.
/// </summary>
public sealed class TimerPoller(TimerRunner runner, IServiceScopeFactory scopes, TimerPollerOptions options, Hosting.Problems.DatabaseOutage outage,
    ILogger<TimerPoller> logger)
    : BackgroundService
{
    private const int Batch = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled) return;
        using var ticks = new PeriodicTimer(options.Interval);
        do
        {
            try
            {
                var due = await runner.DueIdsAsync(Batch, stoppingToken);
                outage.Succeeded(); // the database answered: an outage, if one was noticed, is over
                if (due.Count == 0) continue;
                await using var scope = scopes.CreateAsyncScope();
                var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
                foreach (var id in due) await bus.PublishAsync(new FireTimer(id));
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested && Hosting.Problems.DatabaseOutage.IsUnavailable(e))
            {
                outage.Noticed(e); // said once per outage, not every interval
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Looking for due timers failed; trying again in {Interval}", options.Interval);
            }
        }
        while (await ticks.WaitForNextTickAsync(stoppingToken));
    }
}
