using Wolverine;

namespace GovEvents.Api.Hosting;

/// <summary>
/// Wolverine in the host: handlers of this assembly, Marten's transactions applied to them, and the
/// durability mode. Solo (GovEvents:Wolverine:Solo) skips the node election a cluster needs, for a
/// single process such as a test host; the default, Balanced, lets several API processes share one
/// database, each async projection on one node (moved to another when its node stops answering).
/// </summary>
public static class WolverineSetup
{
    public static void Configure(WolverineOptions opts, IConfiguration configuration)
    {
        opts.ServiceName = "govevents";
        opts.Durability.Mode = configuration.GetValue($"{GovEventsSettings.Section}:Wolverine:Solo", false)
            ? DurabilityMode.Solo
            : DurabilityMode.Balanced;
        // How soon a node that stopped answering is declared dead and its projections move (Wolverine's defaults: a
        // health check every 10 s, stale after 1 min). Shorter finds a crash sooner at the cost of more polling.
        var cluster = configuration.GetSection($"{GovEventsSettings.Section}:Wolverine");
        if (cluster.GetValue<double?>("HealthCheckSeconds") is { } check) opts.Durability.HealthCheckPollingTime = TimeSpan.FromSeconds(check);
        if (cluster.GetValue<double?>("StaleNodeSeconds") is { } stale) opts.Durability.StaleNodeTimeout = TimeSpan.FromSeconds(stale);
        opts.Policies.AutoApplyTransactions();
        // Due timers go through a durable local queue: a message taken by a process that dies is tried again.
        opts.LocalQueueFor<Timers.FireTimer>().UseDurableInbox();
    }
}
