using Microsoft.Extensions.Logging;
using Npgsql;

namespace GovEvents.EventStore;

/// <summary>More: a full batch, go on at once. Idle: wait for a wake-up. Blocked: an older transaction is in flight.</summary>
internal enum RunOutcome { More, Idle, Blocked }

/// <summary>
/// Live processing of one projection on the node that leads it: read the next events below the
/// horizon, apply them and advance the checkpoint in one transaction.
/// </summary>
internal sealed class ProjectionRunner
{
    private readonly ProjectionStorage _storage;
    private readonly ProjectionDaemonOptions _options;
    private readonly ILogger _logger;
    private readonly BatchApplier _applier;
    private readonly Func<string, string> _liveTables;

    public ProjectionRunner(IProjection projection, ProjectionNames names, ProjectionStorage storage, ProjectionDaemonOptions options, ILogger logger)
    {
        Projection = projection;
        Names = names;
        _storage = storage;
        _options = options;
        _logger = logger;
        _applier = new BatchApplier(projection, storage, options, logger);
        _liveTables = names.LiveResolver();
    }

    public IProjection Projection { get; }
    public ProjectionNames Names { get; }
    public string Name => Projection.Name;
    public BatchApplier Applier => _applier;

    /// <summary>One batch, and what the loop should do next.</summary>
    public async Task<RunOutcome> RunOnceAsync(Action progressed, CancellationToken ct)
    {
        await using var conn = await _storage.DataSource.OpenConnectionAsync(ct);
        var (checkpoint, events) = await _storage.ReadNextAsync(conn, Name, _options.BatchSize, ct);
        if (checkpoint is null)
        {
            await _storage.EnsureCheckpointAsync(conn, Name, ct);
            return RunOutcome.More;
        }
        if (events.Count == 0)
        {
            if (checkpoint.Status == ProjectionStorage.Rebuilding && await _storage.RecoverAbandonedRebuildAsync(conn, Names, ct))
            {
                _logger.LogWarning("Projection {Projection} was left rebuilding by a node that stopped; live processing resumes", Name);
                return RunOutcome.More;
            }
            // The transaction holding the horizon may end without an append to wake us (another
            // database on the cluster, a timer claim): look again soon rather than at the next poll.
            return checkpoint.Status == ProjectionStorage.Running && checkpoint.Blocked ? RunOutcome.Blocked : RunOutcome.Idle;
        }

        var result = await _applier.ApplyAsync(conn, events, checkpoint.Position, _liveTables, AdvanceCheckpoint, null, ct);
        if (result.Processed > 0) progressed();
        if (result.End == BatchEnd.Poisoned)
        {
            await _storage.FaultAsync(conn, Name, result.Position, result.Poison!, BatchApplier.Describe(result.Error!), ct);
            progressed();
            return RunOutcome.Idle;
        }
        // After a batch, look once more: either more is there, or the next read says idle or blocked.
        return result.End == BatchEnd.Done ? RunOutcome.More : RunOutcome.Idle;
    }

    private Task<bool> AdvanceCheckpoint(NpgsqlConnection conn, NpgsqlTransaction tx, FeedPosition from, IReadOnlyList<StoredEvent> events, CancellationToken ct) =>
        _storage.AdvanceAsync(conn, tx, Name, from, FeedPosition.Of(events[^1]), ct);
}
