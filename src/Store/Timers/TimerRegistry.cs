namespace GovEvents.Store.Timers;

/// <summary>
/// The timers of a domain: which events schedule or cancel which kinds (pure mappings, used by
/// <see cref="TimerProjection"/>), and the handler that decides what a due timer of each kind does
/// (used by <see cref="TimerRunner"/>).
/// </summary>
public sealed class TimerRegistry
{
    private readonly List<(Type EventType, Func<object, IEnumerable<TimerInstruction>> Map)> _maps = [];
    private readonly Dictionary<string, ITimerHandler> _handlers = new(StringComparer.Ordinal);

    /// <summary>
    /// Events of type <typeparamref name="TEvent"/> yield these instructions. The mapping must be
    /// pure: it runs inside every append and must give the same answer on replay.
    /// </summary>
    public TimerRegistry On<TEvent>(Func<TEvent, IEnumerable<TimerInstruction>> map)
    {
        _maps.Add((typeof(TEvent), data => map((TEvent)data)));
        return this;
    }

    /// <summary>Shorthand for a mapping that yields one instruction.</summary>
    public TimerRegistry On<TEvent>(Func<TEvent, TimerInstruction> map) => On<TEvent>(data => [map(data)]);

    public TimerRegistry Handle(string kind, ITimerHandler handler)
    {
        if (!_handlers.TryAdd(kind, handler))
            throw new InvalidOperationException($"Timer kind '{kind}' already has a handler.");
        return this;
    }

    public TimerRegistry Handle(string kind, Func<DueTimer, CancellationToken, Task<TimerDecision>> decide) =>
        Handle(kind, new DelegateHandler(decide));

    /// <summary>
    /// The handler of a kind; a qualified kind ("deemed-consent:ENV", one timer per participant)
    /// falls back to the handler of its prefix.
    /// </summary>
    public ITimerHandler? HandlerFor(string kind) =>
        _handlers.GetValueOrDefault(kind)
        ?? (kind.IndexOf(':') is > 0 and var colon ? _handlers.GetValueOrDefault(kind[..colon]) : null);

    /// <summary>The event types that schedule or cancel a timer.</summary>
    public IEnumerable<Type> EventTypes => _maps.Select(m => m.EventType).Distinct();

    /// <summary>The instructions an event yields, in registration order.</summary>
    public IEnumerable<TimerInstruction> InstructionsFor(object data)
    {
        foreach (var (type, map) in _maps)
            if (type.IsInstanceOfType(data))
                foreach (var instruction in map(data))
                    yield return instruction;
    }

    private sealed class DelegateHandler(Func<DueTimer, CancellationToken, Task<TimerDecision>> decide) : ITimerHandler
    {
        public Task<TimerDecision> DecideAsync(DueTimer timer, CancellationToken ct) => decide(timer, ct);
    }
}

/// <summary>
/// Decides what a due timer does: reload the stream, let its state decide, and return the events
/// to append with the version they were decided at; <see cref="TimerDecision.Nothing"/> when the
/// state has moved on. The runner appends the decision in the transaction that holds the timer.
/// </summary>
public interface ITimerHandler
{
    Task<TimerDecision> DecideAsync(DueTimer timer, CancellationToken ct);
}

/// <summary>A timer being fired: its identity, when it was due, its payload and the runner's now.</summary>
public sealed record DueTimer(string StreamId, string Kind, DateTimeOffset DueAt, string? PayloadJson, DateTimeOffset Now);

/// <summary>The events a timer appends, each stream with the version the decision was taken at.</summary>
public sealed record TimerDecision(IReadOnlyList<StreamAppend> Appends)
{
    public static readonly TimerDecision Nothing = new([]);

    /// <summary>Appends <paramref name="events"/> to a stream that must still be at <paramref name="expectedVersion"/>.</summary>
    public static TimerDecision Append(string streamId, int expectedVersion, params object[] events) =>
        new([StreamAppend.To(streamId, expectedVersion, events)]);
}
