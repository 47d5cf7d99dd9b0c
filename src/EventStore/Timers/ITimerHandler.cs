namespace GovEvents.EventStore;

/// <summary>
/// Decides what a due timer does. Reload the stream through the store, let its state decide, and
/// return the events to append with the version they were decided at; return
/// <see cref="TimerDecision.Nothing"/> when the state has moved on (already answered, withdrawn…).
/// Do not append here: the runner appends the decision in the transaction that holds the timer,
/// and calls again on fresh state when the stream moved in between.
/// </summary>
public interface ITimerHandler
{
    Task<TimerDecision> DecideAsync(DueTimer timer, PgEventStore store, CancellationToken ct);
}

/// <summary>A timer being fired: its identity, when it was due, its payload and the runner's now.</summary>
public sealed record DueTimer(string StreamId, string Kind, DateTimeOffset DueAt, string? PayloadJson, DateTimeOffset Now);

/// <summary>The events a timer appends, each stream with the version the decision was taken at.</summary>
public sealed record TimerDecision(IReadOnlyList<StreamAppend> Appends)
{
    public static readonly TimerDecision Nothing = new([]);

    /// <summary>Appends <paramref name="events"/> to a stream that must still be at <paramref name="expectedVersion"/>.</summary>
    public static TimerDecision Append(string streamId, string streamType, int expectedVersion, params object[] events) =>
        new([StreamAppend.To(streamId, streamType, expectedVersion, events)]);
}
