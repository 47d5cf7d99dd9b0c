using JasperFx.CodeGeneration;
using Wolverine;

namespace GovEvents.Api.Hosting;

/// <summary>
/// Wolverine in the host: its two handlers (every command, due timers), their pre-generated code, and the
/// durability mode. Solo (GovEvents:Wolverine:Solo) skips the node election a cluster needs, for a
/// single process such as a test host; the default, Balanced, lets several API processes share one
/// database, each async projection on one node (moved to another when its node stops answering).
/// </summary>
public static class WolverineSetup
{
    public static void Configure(WolverineOptions opts, IConfiguration configuration)
    {
        opts.ServiceName = "govevents";
        // The API's assembly, also under a test host: its pre-generated handler code lives there.
        opts.ApplicationAssembly = typeof(WolverineSetup).Assembly;
        // The handlers, named: Wolverine's conventions would also take any class of ours whose name ends
        // in "Handler" with a Handle method for one.
        opts.Discovery.DisableConventionalDiscovery()
            .IncludeType(typeof(Commands.StreamCommandHandler))
            .IncludeType(typeof(Timers.FireTimerHandler));
        var cluster = configuration.GetSection($"{GovEventsSettings.Section}:Wolverine");
        opts.Durability.Mode = cluster.GetValue("Solo", false) ? DurabilityMode.Solo : DurabilityMode.Balanced;
        // How soon a node that stopped answering is declared dead and its projections move (Wolverine's defaults: a
        // health check every 10 s, stale after 1 min). Shorter finds a crash sooner at the cost of more polling.
        if (cluster.GetValue<double?>("HealthCheckSeconds") is { } check) opts.Durability.HealthCheckPollingTime = TimeSpan.FromSeconds(check);
        if (cluster.GetValue<double?>("StaleNodeSeconds") is { } stale) opts.Durability.StaleNodeTimeout = TimeSpan.FromSeconds(stale);
        // Handler code: Static runs the code `codegen write` generated into Internal/Generated (committed, compiled
        // with the API; a handler whose signature changes breaks the build until it is written again);
        // Dynamic generates it and compiles it with Roslyn when a handler is first used (~2.3 s on the first command).
        opts.CodeGeneration.TypeLoadMode = cluster.GetValue("CodeGeneration", TypeLoadMode.Static);
        opts.Policies.AutoApplyTransactions();
        // Due timers go through a durable local queue: a message taken by a process that dies is tried again.
        opts.LocalQueueFor<Timers.FireTimer>().UseDurableInbox();
    }
}
