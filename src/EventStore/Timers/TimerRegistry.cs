namespace GovEvents.EventStore;

/// <summary>
/// The timers of a domain: which events schedule or cancel which kinds (pure mappings, used by
/// <see cref="TimerProjection"/>), and the handler that decides what a due timer of each kind does
/// (used by <see cref="TimerRunner"/>).
/// </summary>
public sealed class TimerRegistry
{
    private readonly List<(Type EventType, Func<object, StoredEvent, IEnumerable<TimerInstruction>> Map)> _maps = [];
    private readonly Dictionary<string, ITimerHandler> _handlers = new(StringComparer.Ordinal);

    /// <summary>
    /// Events of type <typeparamref name="TEvent"/> (or derived from it) yield these instructions.
    /// The mapping must be pure: it runs inside every append and must give the same answer on replay.
    /// </summary>
    public TimerRegistry On<TEvent>(Func<TEvent, StoredEvent, IEnumerable<TimerInstruction>> map)
    {
        _maps.Add((typeof(TEvent), (data, e) => map((TEvent)data, e)));
        return this;
    }

    /// <summary>Shorthand for a mapping that yields one instruction.</summary>
    public TimerRegistry On<TEvent>(Func<TEvent, StoredEvent, TimerInstruction> map) =>
        On<TEvent>((data, e) => [map(data, e)]);

    public TimerRegistry Handle(string kind, ITimerHandler handler)
    {
        if (!_handlers.TryAdd(kind, handler))
            throw new InvalidOperationException($"Timer kind '{kind}' already has a handler.");
        return this;
    }

    public TimerRegistry Handle(string kind, Func<DueTimer, PgEventStore, CancellationToken, Task<TimerDecision>> decide) =>
        Handle(kind, new DelegateHandler(decide));

    /// <summary>
    /// The handler of a kind; a qualified kind ("deemed-consent:ENV", one timer per participant)
    /// falls back to the handler of its prefix.
    /// </summary>
    public ITimerHandler? HandlerFor(string kind) =>
        _handlers.GetValueOrDefault(kind)
        ?? (kind.IndexOf(':') is > 0 and var colon ? _handlers.GetValueOrDefault(kind[..colon]) : null);

    public IReadOnlyCollection<string> HandledKinds => _handlers.Keys;

    /// <summary>The instructions an event yields, in registration order.</summary>
    public IEnumerable<TimerInstruction> InstructionsFor(StoredEvent e)
    {
        foreach (var (type, map) in _maps)
            if (type.IsInstanceOfType(e.Data))
                foreach (var instruction in map(e.Data, e))
                    yield return instruction;
    }

    private sealed class DelegateHandler(Func<DueTimer, PgEventStore, CancellationToken, Task<TimerDecision>> decide) : ITimerHandler
    {
        public Task<TimerDecision> DecideAsync(DueTimer timer, PgEventStore store, CancellationToken ct) => decide(timer, store, ct);
    }
}
