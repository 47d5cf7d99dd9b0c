using JasperFx.Events;
using JasperFx;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit.Abstractions;
using static GovEvents.Store.Tests.Guarantees.Daemons;

namespace GovEvents.Store.Tests.Guarantees;

/// <summary>
/// A projection that throws on one event, on our configuration (apply errors not skipped): stopped
/// visibly at its position, never past it, and nothing dead-lettered; resumed once fixed, it tries the event again.
/// </summary>
public sealed class PoisonEventTests(DaemonDatabase db, ITestOutputHelper output) : IClassFixture<DaemonDatabase>
{
    /// <summary>A case whose third event poisons the probe: the sequences of the events before, at and after it.</summary>
    private async Task<(long Before, long Poison, long After)> AppendAroundPoisonAsync(Marten.IDocumentStore store)
    {
        var log = db.Log(store);
        var id = "case-" + Guid.NewGuid().ToString("N");
        var at = db.Time.GetUtcNow();
        await log.StartStreamAsync(id, [new CaseFiled(id, "filed", at), new CaseNoteAdded(id, "before", 1m, at)]);
        await log.AppendAsync(id, 2, [new CaseNoteAdded(id, PoisonProbe.Poison, 2m, at)]);
        await log.AppendAsync(id, 3, [new CaseNoteAdded(id, "after", 3m, at)]);
        var events = await log.FetchStreamAsync(id);
        return (events[1].Sequence, events[2].Sequence, events[3].Sequence);
    }

    [Fact]
    public async Task A_poison_event_pauses_the_projection_at_its_position_until_it_is_fixed_and_restarted()
    {
        var probe = new PoisonProbe();
        var store = await db.OpenAsync(opts => opts.Projections.Add(probe, ProjectionLifecycle.Async));
        var (before, poison, after) = await AppendAroundPoisonAsync(store);

        using var daemon = await store.BuildProjectionDaemonAsync(logger: new TestOutputLogger(output));
        await daemon.StartAllAsync();

        var stopped = await Eventually.Until(() => Task.FromResult<ISubscriptionAgent?>(AgentOf(daemon, PoisonProbe.ProjectionName)),
            a => a is not null && a.Status != AgentStatus.Running, TimeSpan.FromSeconds(60), "the poisoned projection's agent stops");
        output.WriteLine($"agent {stopped!.Name.Identity}: {stopped.Status} after {probe.Attempts} attempts on event {poison}");
        // A daemon on its own pauses the projection at the first failure: the hosted coordinator retries (below).
        probe.Attempts.ShouldBe(1);
        (await ProgressAsync(store, PoisonProbe.ProjectionName)).ShouldBeLessThan(poison);
        // The failed batch committed nothing: what preceded the poison event in it is retried with it.
        (await RecordedAsync(store)).ShouldAllBe(s => s < poison);
        (await db.ScalarAsync<long>($"select count(*) from {DaemonDatabase.Schema}.mt_doc_deadletterevent")).ShouldBe(0);
        // The other projections go on: only the poisoned one stopped.
        AgentOf(daemon, "case_views").ShouldNotBeNull().Status.ShouldBe(AgentStatus.Running);

        // Fixed and restarted, it carries on from that very event.
        probe.Poisoned = false;
        await daemon.StartAgentAsync(stopped.Name.Identity, CancellationToken.None);
        await Eventually.Until(() => ProgressAsync(store, PoisonProbe.ProjectionName), p => p >= after, TimeSpan.FromSeconds(60), "past the fixed event");
        (await RecordedAsync(store)).Where(s => s >= before).ShouldBe([before, poison, after]);
    }

    [Fact]
    public async Task Hosted_as_the_API_hosts_it_a_poisoned_projection_stays_paused_and_each_node_start_retries_the_event()
    {
        var probe = new PoisonProbe();
        var store = await db.OpenAsync(opts => opts.Projections.Add(probe, ProjectionLifecycle.Async));
        var (_, poison, after) = await AppendAroundPoisonAsync(store);

        // The hosted coordinator does not retry by itself (Marten 9.62): the shard stays paused on the node.
        var first = await StartNodeAsync(db, output, "first ", opts => opts.Projections.Add(probe, ProjectionLifecycle.Async));
        await Eventually.Until(() => Task.FromResult(AgentOf(DaemonOf(first), PoisonProbe.ProjectionName)?.Status), s => s == AgentStatus.Paused,
            TimeSpan.FromSeconds(60), "paused on the first node");
        probe.Attempts.ShouldBe(1);
        await first.StopAsync();

        // The next start of a node meets the same event again, and pauses again: never past it.
        var second = await StartNodeAsync(db, output, "second ", opts => opts.Projections.Add(probe, ProjectionLifecycle.Async));
        await Eventually.Until(() => Task.FromResult(probe.Attempts), n => n == 2, TimeSpan.FromSeconds(60), "retried by the next node");
        await Eventually.Until(() => Task.FromResult(AgentOf(DaemonOf(second), PoisonProbe.ProjectionName)?.Status), s => s == AgentStatus.Paused,
            TimeSpan.FromSeconds(60), "paused on the second node");
        (await RecordedAsync(store)).ShouldAllBe(s => s < poison);
        (await ProgressAsync(store, PoisonProbe.ProjectionName)).ShouldBeLessThan(poison);
        (await db.ScalarAsync<long>($"select count(*) from {DaemonDatabase.Schema}.mt_doc_deadletterevent")).ShouldBe(0);

        probe.Poisoned = false;
        await DaemonOf(second).StartAgentAsync($"{PoisonProbe.ProjectionName}:All", CancellationToken.None);
        await Eventually.Until(() => ProgressAsync(store, PoisonProbe.ProjectionName), p => p >= after, TimeSpan.FromSeconds(60), "past the fixed event");
        // This class's other test runs its own daemon on this database.
        await second.StopAsync();
    }

    private static async Task<IReadOnlyList<long>> RecordedAsync(IDocumentStore store)
    {
        await using var session = store.QuerySession();
        return (await session.Query<ProjectedNote>().ToListAsync()).Select(n => n.Sequence).Order().ToList();
    }
}

public sealed record ProjectedNote(string Id, long Sequence, string Note);

/// <summary>Records every note; throws on the poison note while <see cref="Poisoned"/>.</summary>
public sealed partial class PoisonProbe : EventProjection
{
    public const string ProjectionName = "poison_probe";
    public const string Poison = "poison";
    private int _attempts;

    public PoisonProbe()
    {
        Name = ProjectionName;
        IncludeType<CaseNoteAdded>();
    }

    public volatile bool Poisoned = true;

    public int Attempts => Volatile.Read(ref _attempts);

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken ct)
    {
        var note = (CaseNoteAdded)e.Data;
        if (note.Note == Poison && Poisoned)
        {
            Interlocked.Increment(ref _attempts);
            throw new InvalidOperationException($"cannot project event {e.Sequence}");
        }
        operations.Store(new ProjectedNote($"note-{e.Sequence}", e.Sequence, note.Note));
        return ValueTask.CompletedTask;
    }
}
