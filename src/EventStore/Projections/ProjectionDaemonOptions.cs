namespace GovEvents.EventStore;

/// <summary>How the async projection daemon reads, waits, leads and handles failing events.</summary>
public sealed class ProjectionDaemonOptions
{
    /// <summary>Events per batch in live processing; one batch and its checkpoint commit together.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>Events per page while a rebuild replays history into its shadow tables.</summary>
    public int RebuildBatchSize { get; set; } = 5000;

    /// <summary>Fallback wake-up when no NOTIFY or local append arrives (a lost NOTIFY, a long transaction).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a node retries the leadership of projections another node holds.</summary>
    public TimeSpan LeadershipInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries of a failing event before it faults the projection (or is dead-lettered).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Delay before the first retry; each further retry waits one more step.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Send events that keep failing to dead_letters and go on, instead of faulting (every projection).</summary>
    public bool DeadLetterFailures { get; set; }

    /// <summary>Names of projections that dead-letter failing events even when <see cref="DeadLetterFailures"/> is off.</summary>
    public ISet<string> DeadLetterProjections { get; } = new HashSet<string>(StringComparer.Ordinal);

    internal bool DeadLettersFor(string projection) => DeadLetterFailures || DeadLetterProjections.Contains(projection);

    internal void Validate()
    {
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize));
        if (RebuildBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(RebuildBatchSize));
        if (MaxRetries < 0) throw new ArgumentOutOfRangeException(nameof(MaxRetries));
        if (PollInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(PollInterval));
        if (LeadershipInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(LeadershipInterval));
    }
}

/// <summary>
/// What <c>GET /api/admin/projections</c> shows: <paramref name="Position"/> is the last processed
/// sequence, <paramref name="Lag"/> the committed events not processed yet; <paramref name="Status"/>
/// is running, rebuilding or faulted.
/// </summary>
public sealed record ProjectionStatus(
    string Name, long Position, long Lag, string Status, string? Error, long? FailedSequence, long? RebuildDone, long? RebuildTotal);

/// <summary>A rebuild stopped at an event that keeps failing; the live model was left as it was.</summary>
public sealed class ProjectionFaultedException(string projection, long sequence, Exception inner)
    : Exception($"Projection {projection} failed at event {sequence}: {inner.Message}", inner)
{
    public string Projection { get; } = projection;
    public long Sequence { get; } = sequence;
}
