using GovEvents.Projections.Cases;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using IProjectionCoordinator = Marten.Events.Daemon.Coordination.IProjectionCoordinator;

namespace GovEvents.Store.Tests.Guarantees;

/// <summary>What the projection tests ask of Marten's daemon and its progress rows.</summary>
public static class Daemons
{
    /// <summary>A projection's committed progress (0 before its first batch).</summary>
    public static async Task<long> ProgressAsync(IDocumentStore store, string projection) =>
        (await store.Advanced.AllProjectionProgress())
            .Where(s => s.ShardName.StartsWith(projection + ":", StringComparison.Ordinal))
            .Select(s => s.Sequence).DefaultIfEmpty(0).Max();

    /// <summary>The agent of <paramref name="projection"/> this daemon runs, if any.</summary>
    public static ISubscriptionAgent? AgentOf(IProjectionDaemon daemon, string projection) =>
        daemon.CurrentAgents().FirstOrDefault(a => a.Name.Name == projection);

    /// <summary>The case views of <paramref name="ids"/> as stored, by id.</summary>
    public static async Task<IReadOnlyDictionary<string, CaseView>> CaseViewsAsync(IDocumentStore store, IReadOnlyCollection<string> ids)
    {
        await using var session = store.QuerySession();
        var views = await session.LoadManyAsync<CaseView>(ids.ToArray());
        return views.ToDictionary(v => v.Id);
    }

    /// <summary>
    /// A node as the API runs one: Marten on our configuration with the async daemon hosted in HotCold
    /// mode, plus <paramref name="also"/>. Stopped and disposed with the database.
    /// </summary>
    public static async Task<IHost> StartNodeAsync(DaemonDatabase db, ITestOutputHelper output, string node, Action<StoreOptions> also)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new TestOutputLogger(output, node + " "));
        builder.Services.AddMarten(opts => db.Configure(opts, also)).AddAsyncDaemon(DaemonMode.HotCold);
        var host = builder.Build();
        await host.StartAsync();
        db.Own(new HostDisposal(host));
        return host;
    }

    public static IProjectionDaemon DaemonOf(IHost node) => node.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase();

    private sealed class HostDisposal(IHost host) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
