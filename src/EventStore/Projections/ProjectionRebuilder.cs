using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GovEvents.EventStore;

/// <summary>
/// Rebuilds a projection into shadow tables while readers keep the live ones, then swaps them in
/// one transaction. History is replayed in large pages (the next page is read while the current
/// one is applied), catching up with what was appended meanwhile; the swap transaction locks the
/// checkpoint, applies the last few events, drops the live tables, renames the shadows and sets
/// the checkpoint, so readers see either the old model or the complete new one.
/// </summary>
internal sealed class ProjectionRebuilder(ProjectionRunner runner, ProjectionStorage storage, ProjectionDaemonOptions options, ILogger logger)
{
    // Catch-up rounds before the swap takes whatever tail remains (appenders may outpace a rebuild).
    private const int MaxCatchUpRounds = 5;

    private readonly string _name = runner.Name;
    private readonly ProjectionNames _names = runner.Names;
    private readonly Func<string, string> _shadow = runner.Names.ShadowResolver();
    private readonly RebuildScope _scope = new();

    public async Task RebuildAsync(CancellationToken ct)
    {
        // This connection holds the rebuild lock throughout: if the node dies, the lock goes with it
        // and the live loop of whichever node leads undoes the 'rebuilding' status.
        await using var conn = await storage.DataSource.OpenConnectionAsync(ct);
        if (!await ProjectionStorage.TryLockAsync(conn, _names.RebuildKey, ct))
            throw new InvalidOperationException($"Projection {_name} is already being rebuilt.");
        ProjectionStorage.PriorState? prior = null;
        try
        {
            await storage.EnsureCheckpointAsync(conn, _name, ct);
            await ProjectionTables.EnsureLiveAsync(conn, _names, ct);
            var horizon = await storage.HorizonAsync(conn, ct);
            var total = await storage.CountAsync(conn, FeedPosition.Start, horizon, ct);
            prior = await storage.BeginRebuildAsync(conn, _name, total, ct);
            await ProjectionTables.CreateShadowAsync(conn, _names, ct);
            logger.LogInformation("Rebuilding projection {Projection} over {Total} events", _name, total);

            var at = FeedPosition.Start;
            long done = 0;
            for (var round = 0; ; round++)
            {
                (at, done) = await ReplayAsync(conn, at, horizon, done, ct);
                logger.LogDebug("Projection {Projection} replayed {Done} events into its shadow tables (round {Round})", _name, done, round);
                var next = await storage.HorizonAsync(conn, ct);
                var remaining = await storage.CountAsync(conn, at, next, ct);
                if (remaining > options.BatchSize && round < MaxCatchUpRounds)
                {
                    await storage.SetRebuildTotalAsync(conn, _name, done + remaining, ct);
                    horizon = next;
                    continue;
                }
                var (swapped, tailHorizon, tailDone) = await TrySwapAsync(conn, at, done, ct);
                if (swapped)
                {
                    logger.LogInformation("Projection {Projection} rebuilt over {Done} events and swapped in", _name, tailDone);
                    return;
                }
                // An event of the tail failed inside the swap: replay the tail page by page, where a
                // failing event is retried, dead-lettered or faults the rebuild, then swap again.
                horizon = tailHorizon;
            }
        }
        catch (ProjectionFaultedException ex)
        {
            await CleanUpAsync(conn, () => storage.FaultRebuildAsync(conn, _name, ex.Sequence, BatchApplier.Describe(ex.InnerException!), CancellationToken.None));
            throw;
        }
        catch when (prior is not null)
        {
            await CleanUpAsync(conn, () => storage.AbandonRebuildAsync(conn, _name, prior, CancellationToken.None));
            throw;
        }
        finally
        {
            if (conn.State == System.Data.ConnectionState.Open)
                await ProjectionStorage.UnlockAsync(conn, _names.RebuildKey, CancellationToken.None);
        }
    }

    private async Task CleanUpAsync(NpgsqlConnection conn, Func<Task> setStatus)
    {
        try
        {
            await ProjectionTables.DropShadowAsync(conn, _names, CancellationToken.None);
            await setStatus();
        }
        catch (Exception ex)
        {
            // The lock dies with the connection; a live loop then restores the status.
            logger.LogError(ex, "Cleaning up after the rebuild of projection {Projection} failed", _name);
        }
    }

    /// <summary>Applies the events after <paramref name="from"/> and below <paramref name="horizon"/> to the shadow tables.</summary>
    private async Task<(FeedPosition At, long Done)> ReplayAsync(NpgsqlConnection conn, FeedPosition from, ulong horizon, long done, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pages = Channel.CreateBounded<List<StoredEvent>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var reading = Task.Run(() => ReadPagesAsync(from, horizon, pages.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var page in pages.Reader.ReadAllAsync(ct))
            {
                var result = await runner.Applier.ApplyAsync(conn, page, from, _shadow, CountDone, _scope, ct);
                from = result.Position;
                done += result.Processed;
                if (result.End == BatchEnd.Poisoned)
                    throw new ProjectionFaultedException(_name, result.Poison!.Sequence, result.Error!);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        return (from, done);
    }

    private async Task ReadPagesAsync(FeedPosition from, ulong horizon, ChannelWriter<List<StoredEvent>> pages, CancellationToken ct)
    {
        try
        {
            await using var conn = await storage.DataSource.OpenConnectionAsync(ct);
            while (true)
            {
                var page = await storage.ReadPageAsync(conn, from, horizon, options.RebuildBatchSize, ct);
                if (page.Count > 0) await pages.WriteAsync(page, ct);
                if (page.Count < options.RebuildBatchSize) break;
                from = FeedPosition.Of(page[^1]);
            }
            pages.Complete();
        }
        catch (Exception ex)
        {
            pages.Complete(ex);
        }
    }

    private async Task<bool> CountDone(NpgsqlConnection conn, NpgsqlTransaction tx, FeedPosition from, IReadOnlyList<StoredEvent> events, CancellationToken ct)
    {
        await storage.AddRebuildDoneAsync(conn, tx, _name, events.Count, ct);
        return true;
    }

    /// <summary>
    /// The swap transaction. Returns false (and rolls back) when an event of the tail fails; the
    /// horizon returned covers that tail.
    /// </summary>
    private async Task<(bool Swapped, ulong Horizon, long Done)> TrySwapAsync(NpgsqlConnection conn, FeedPosition at, long done, CancellationToken ct)
    {
        await using var tx = await conn.BeginTransactionAsync(ct);
        await storage.LockCheckpointAsync(conn, tx, _name, ct);
        var horizon = await storage.HorizonAsync(conn, ct, tx);
        var context = new ProjectionContext(conn, tx, storage.Store.Schema, storage.Store.Serializer, _shadow) { Rebuild = _scope };
        while (true)
        {
            var page = await storage.ReadPageAsync(conn, at, horizon, options.RebuildBatchSize, ct, tx);
            if (page.Count == 0) break;
            try
            {
                await runner.Projection.ApplyAsync(page, context, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                if (conn.FullState.HasFlag(System.Data.ConnectionState.Broken)) throw;
                logger.LogWarning(ex, "Projection {Projection} failed on the tail of its rebuild; replaying it event by event", _name);
                await tx.RollbackAsync(ct);
                return (false, horizon, done);
            }
            at = FeedPosition.Of(page[^1]);
            done += page.Count;
            if (page.Count < options.RebuildBatchSize) break;
        }
        await ProjectionTables.SwapAsync(conn, tx, _names, ct);
        await storage.FinishRebuildAsync(conn, tx, _name, at, done, ct);
        await tx.CommitAsync(ct);
        context.RaiseCommitted();
        return (true, horizon, done);
    }
}
