namespace GovEvents.Store.Timers;

/// <summary>
/// What an event means for one timer of its stream: schedule (or reschedule) the (stream, kind)
/// timer at <paramref name="DueAt"/>, or cancel it when <paramref name="DueAt"/> is null.
/// <paramref name="Payload"/> is stored as JSON and handed back to the handler when the timer fires.
/// </summary>
public sealed record TimerInstruction(string Kind, DateTimeOffset? DueAt, object? Payload = null)
{
    public static TimerInstruction Schedule(string kind, DateTimeOffset dueAt, object? payload = null) => new(kind, dueAt, payload);

    public static TimerInstruction Cancel(string kind) => new(kind, null);
}
