using GovEvents.Api.Common;
using GovEvents.Api.Dev;
using GovEvents.Api.Hosting;
using GovEvents.Api.Hosting.Database;
using GovEvents.Api.Complaints;
using GovEvents.Api.Ratings;
using GovEvents.Domain.Time;
using GovEvents.Store.Timers;
using GovEvents.Projections.Cases;
using GovEvents.Projections.Organisation;

namespace GovEvents.Api.Cases;

/// <summary>Services of the case feature: event types, projections, timers, the command pipeline.</summary>
public static class CasesModule
{
    public static IServiceCollection AddCases(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp => new HallClock(sp.GetRequiredService<HallTimeZone>().Zone));
        services.AddSingleton<ReferenceData>();
        services.AddSingleton<CaseCommands>();

        services.AddSingleton(sp => new TimerRegistry()
            .AddCaseTimers(sp.GetRequiredService<HallClock>(), sp.GetRequiredService<CaseCommands>)
            .AddRatingTimers(sp.GetRequiredService<HallClock>(), sp.GetRequiredService<CaseCommands>)
            .AddComplaintTimers(sp.GetRequiredService<HallClock>(), sp.GetRequiredService<ComplaintCommands>));
        services.AddSingleton<TimerRunner>();
        services.AddSingleton(new Timers.TimerPollerOptions(
            configuration.GetValue("GovEvents:Timers:Enabled", true),
            TimeSpan.FromSeconds(configuration.GetValue("GovEvents:Timers:IntervalSeconds", 5))));
        services.AddHostedService<Timers.TimerPoller>();
        services.AddSingleton<ISweepStep, TimersSweepStep>();

        // Inline: what a command must see at once (delegations in force, timers). Async: the read models.
        services.ConfigureStore((opts, sp) =>
        {
            DelegationIndex.Configure(opts);
            TimerProjection.Configure(opts, sp.GetRequiredService<TimerRegistry>());
            CaseViewProjection.Configure(opts);
        });
        services.AddSingleton<Hosting.Database.IDemoDataLoader, Demo.DemoDataLoader>();
        return services;
    }

    public static IEndpointRouteBuilder MapCases(this IEndpointRouteBuilder app) => app.MapCaseCommands().MapCaseQueries();
}

/// <summary>
/// POST /api/dev/sweep: fires every timer due at the server clock's now, each through Wolverine's
/// <see cref="Timers.FireTimerHandler"/> in process (as the poller's messages are, with its retries); reports how many.
/// </summary>
public sealed class TimersSweepStep(TimerRunner runner, Wolverine.Runtime.IWolverineRuntime wolverine) : ISweepStep
{
    public string Name => "timers";

    public async Task<SweepStepOutcome> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        var bus = new Wolverine.Runtime.MessageBus(wolverine);
        return new(await runner.ForEachDueAsync(async (id, token) =>
        {
            await bus.InvokeAsync(new Timers.FireTimer(id), token);
            return true;
        }, ct));
    }
}
