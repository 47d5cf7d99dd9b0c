using System.Data;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GovEvents.EventStore;

internal enum BatchEnd { Done, Superseded, Poisoned }

/// <summary>
/// How far a batch got: <see cref="BatchEnd.Superseded"/> when the checkpoint moved under us,
/// <see cref="BatchEnd.Poisoned"/> when <see cref="Poison"/> kept failing and the projection must stop there.
/// </summary>
internal sealed record BatchResult(BatchEnd End, FeedPosition Position, int Processed, StoredEvent? Poison = null, Exception? Error = null);

/// <summary>
/// Work done in a batch's transaction before the projection applies it: the optimistic checkpoint
/// advance (live) or the progress count (rebuild). False means: give up, someone else moved on.
/// </summary>
internal delegate Task<bool> BatchPrelude(NpgsqlConnection conn, NpgsqlTransaction tx, FeedPosition from, IReadOnlyList<StoredEvent> events, CancellationToken ct);

/// <summary>The projection threw (as opposed to the database or the network failing under it).</summary>
internal sealed class ProjectionApplyException(Exception inner) : Exception(inner.Message, inner);

/// <summary>
/// Applies a batch in one transaction. When the projection fails, the batch is redone one event per
/// transaction with retries, so the failing event is found exactly and everything before it is kept;
/// a poison event is then either dead-lettered (and passed in the same transaction) or reported.
/// </summary>
internal sealed class BatchApplier(
    IProjection projection, ProjectionStorage storage, ProjectionDaemonOptions options, ILogger logger)
{
    private readonly bool _deadLetters = options.DeadLettersFor(projection.Name);

    public async Task<BatchResult> ApplyAsync(
        NpgsqlConnection conn, IReadOnlyList<StoredEvent> events, FeedPosition from,
        Func<string, string> tables, BatchPrelude prelude, RebuildScope? rebuild, CancellationToken ct)
    {
        try
        {
            return await CommitAsync(conn, events, from, tables, prelude, rebuild, null, ct)
                ? new BatchResult(BatchEnd.Done, FeedPosition.Of(events[^1]), events.Count)
                : new BatchResult(BatchEnd.Superseded, from, 0);
        }
        catch (ProjectionApplyException ex)
        {
            logger.LogWarning(ex.InnerException, "Projection {Projection} failed on a batch of {Count} events from {Sequence}; retrying event by event",
                projection.Name, events.Count, events[0].Sequence);
        }

        var at = from;
        var processed = 0;
        foreach (var e in events)
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    if (!await CommitAsync(conn, [e], at, tables, prelude, rebuild, null, ct))
                        return new BatchResult(BatchEnd.Superseded, at, processed);
                    break;
                }
                catch (ProjectionApplyException) when (attempt < options.MaxRetries)
                {
                    await Task.Delay(options.RetryDelay * (attempt + 1), ct);
                }
                catch (ProjectionApplyException ex)
                {
                    var error = Describe(ex.InnerException!);
                    if (!_deadLetters)
                    {
                        logger.LogError(ex.InnerException, "Projection {Projection} stops at event {Sequence} ({Type} in {Stream}) after {Attempts} attempts",
                            projection.Name, e.Sequence, e.Type, e.StreamId, attempt + 1);
                        return new BatchResult(BatchEnd.Poisoned, at, processed, e, ex.InnerException);
                    }
                    logger.LogError(ex.InnerException, "Projection {Projection} dead-letters event {Sequence} ({Type} in {Stream}) after {Attempts} attempts",
                        projection.Name, e.Sequence, e.Type, e.StreamId, attempt + 1);
                    if (!await CommitAsync(conn, [e], at, tables, prelude, rebuild, error, ct))
                        return new BatchResult(BatchEnd.Superseded, at, processed);
                    break;
                }
            }
            at = FeedPosition.Of(e);
            processed++;
        }
        return new BatchResult(BatchEnd.Done, at, processed);
    }

    /// <summary>One transaction: the prelude, then the projection (or, for a poison event, its dead letter).</summary>
    private async Task<bool> CommitAsync(
        NpgsqlConnection conn, IReadOnlyList<StoredEvent> events, FeedPosition from,
        Func<string, string> tables, BatchPrelude prelude, RebuildScope? rebuild, string? deadLetterError, CancellationToken ct)
    {
        ProjectionContext? context = null;
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (!await prelude(conn, tx, from, events, ct)) return false;   // disposing rolls back
        if (deadLetterError is not null)
        {
            await storage.DeadLetterAsync(conn, tx, projection.Name, events[0], deadLetterError, ct);
        }
        else
        {
            context = new ProjectionContext(conn, tx, storage.Store.Schema, storage.Store.Serializer, tables) { Rebuild = rebuild };
            try
            {
                await projection.ApplyAsync(events, context, ct);
            }
            catch (Exception ex) when (!IsInfrastructure(ex, conn, ct))
            {
                throw new ProjectionApplyException(ex);
            }
        }
        await tx.CommitAsync(ct);
        context?.RaiseCommitted();
        return true;
    }

    /// <summary>
    /// Failures that say nothing about the event (shutdown, a lost connection, a deadlock) are not
    /// counted against it: they go up to the loop, which retries the batch later.
    /// </summary>
    private static bool IsInfrastructure(Exception ex, NpgsqlConnection conn, CancellationToken ct) =>
        (ex is OperationCanceledException && ct.IsCancellationRequested)
        || ex is NpgsqlException { IsTransient: true }
        || conn.FullState.HasFlag(ConnectionState.Broken)
        || conn.State != ConnectionState.Open;

    public static string Describe(Exception ex)
    {
        var text = $"{ex.GetType().Name}: {ex.Message}";
        return text.Length <= 2000 ? text : text[..2000];
    }
}
