using System.Collections.Concurrent;
using System.Diagnostics;
using JasperFx.Events;
using JasperFx;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using IProjectionCoordinator = Marten.Events.Daemon.Coordination.IProjectionCoordinator;
using Marten.Events.Projections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shouldly;
using Xunit.Abstractions;
using static GovEvents.Store.Tests.Guarantees.Daemons;

namespace GovEvents.Store.Tests.Guarantees;

/// <summary>Two nodes on one database, each hosting Marten's daemon in HotCold mode as the API does: one runs each projection.</summary>
public sealed class LeadershipTests(DaemonDatabase db, ITestOutputHelper output) : IClassFixture<DaemonDatabase>
{
    [Fact]
    public async Task Two_daemons_never_run_the_same_projection_at_once_and_leadership_moves_when_the_leader_goes()
    {
        var ledger = new Ledger();
        // The schema once, by the owner, before the nodes start (as the migrator does).
        await db.OpenAsync(opts => opts.Projections.Add(new WhoRan("setup", ledger), ProjectionLifecycle.Async));
        var a = await StartNodeAsync(db, output, "a", o => o.Projections.Add(new WhoRan("a", ledger), ProjectionLifecycle.Async));
        var b = await StartNodeAsync(db, output, "b", o => o.Projections.Add(new WhoRan("b", ledger), ProjectionLifecycle.Async));
        var nodes = new Dictionary<string, IHost> { ["a"] = a, ["b"] = b };
        using var watch = new CancellationTokenSource();
        var overlaps = WatchForOverlapAsync(nodes, watch.Token);

        var leader = await Eventually.Until(() => Task.FromResult(Running(nodes, WhoRan.ProjectionName)), r => r.Count == 1,
            TimeSpan.FromSeconds(60), "one node runs who_ran");
        var first = await AppendFromBothAsync(a, b, 40);
        await Eventually.Until(() => first.All(ledger.Runs.ContainsKey), TimeSpan.FromSeconds(60), "the leader projects the first appends");
        first.Select(s => ledger.Runs[s]).Distinct().ShouldBe([leader.Single()]);

        // The leader goes; the other node takes the projection over where it stopped.
        var (gone, survivor) = leader.Single() == "a" ? (a, "b") : (b, "a");
        var clock = Stopwatch.StartNew();
        await gone.StopAsync();
        gone.Dispose();
        nodes.Remove(leader.Single());
        await Eventually.Until(() => Task.FromResult(Running(nodes, WhoRan.ProjectionName)), r => r.SequenceEqual([survivor]),
            TimeSpan.FromSeconds(90), "the survivor runs who_ran");
        output.WriteLine($"{survivor} took who_ran over {clock.Elapsed.TotalSeconds:0.0} s after {leader.Single()} stopped");
        var second = await AppendFromBothAsync(nodes[survivor], nodes[survivor], 10);
        await Eventually.Until(() => second.All(ledger.Runs.ContainsKey), TimeSpan.FromSeconds(60), "the survivor projects the later appends");
        second.Select(s => ledger.Runs[s]).Distinct().ShouldBe([survivor]);

        await watch.CancelAsync();
        (await overlaps).ShouldBeEmpty("no moment when two nodes ran the same projection");
        ledger.Duplicates.ShouldBeEmpty("no event projected by two nodes");
        ledger.Runs.Count.ShouldBe(first.Count + second.Count);
    }

    /// <summary>The nodes whose daemon runs <paramref name="projection"/> now.</summary>
    private static List<string> Running(Dictionary<string, IHost> nodes, string projection) =>
        nodes.Where(n => AgentOf(n.Value.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase(), projection)
            is { Status: AgentStatus.Running }).Select(n => n.Key).ToList();

    /// <summary>Samples both nodes until cancelled; returns every projection seen running on two nodes at once.</summary>
    private static async Task<List<string>> WatchForOverlapAsync(Dictionary<string, IHost> nodes, CancellationToken ct)
    {
        var overlaps = new List<string>();
        while (!ct.IsCancellationRequested)
        {
            foreach (var projection in new[] { WhoRan.ProjectionName, "case_views", "complaint_views" })
            {
                try
                {
                    if (Running(new Dictionary<string, IHost>(nodes), projection).Count > 1) overlaps.Add(projection);
                }
                catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
                {
                    // A node stopping.
                }
            }
            try { await Task.Delay(50, ct); }
            catch (OperationCanceledException) { }
        }
        return overlaps;
    }

    private async Task<List<long>> AppendFromBothAsync(IHost a, IHost b, int streams)
    {
        var at = db.Time.GetUtcNow();
        var sequences = new ConcurrentBag<long>();
        await Parallel.ForEachAsync(Enumerable.Range(0, streams), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var log = db.Log((i % 2 == 0 ? a : b).Services.GetRequiredService<IDocumentStore>());
            var id = "case-" + Guid.NewGuid().ToString("N");
            await log.StartStreamAsync(id, [new CaseFiled(id, "filed", at), new CaseNoteAdded(id, "note", i, at)], ct);
            foreach (var e in await log.FetchStreamAsync(id, ct: ct))
                if (e.Data is CaseNoteAdded) sequences.Add(e.Sequence);
        });
        return [.. sequences];
    }

}

/// <summary>Which node projected each event, and any event projected twice.</summary>
public sealed class Ledger
{
    public ConcurrentDictionary<long, string> Runs { get; } = new();
    public ConcurrentBag<(long Sequence, string Node)> Duplicates { get; } = [];

    public void Record(long sequence, string node)
    {
        if (!Runs.TryAdd(sequence, node)) Duplicates.Add((sequence, node));
    }
}

/// <summary>A projection that notes, in memory shared by the nodes, which node projected each note.</summary>
public sealed partial class WhoRan : EventProjection
{
    public const string ProjectionName = "who_ran";
    private readonly string _node;
    private readonly Ledger _ledger;

    public WhoRan(string node, Ledger ledger)
    {
        (_node, _ledger) = (node, ledger);
        Name = ProjectionName;
        IncludeType<CaseNoteAdded>();
    }

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken ct)
    {
        _ledger.Record(e.Sequence, _node);
        operations.Store(new ProjectedNote($"who-{e.Sequence}", e.Sequence, _node));
        return ValueTask.CompletedTask;
    }
}
