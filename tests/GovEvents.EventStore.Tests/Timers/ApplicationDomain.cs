namespace GovEvents.EventStore.Tests.Timers;

// A tiny domain with a deemed answer: an application not answered by its due time is deemed answered.
public sealed record Submitted(string ApplicationId, DateTimeOffset AnswerDueAt);
public sealed record DeadlineExtended(string ApplicationId, DateTimeOffset AnswerDueAt);
public sealed record Answered(string ApplicationId, string Answer);
public sealed record Commented(string ApplicationId, string Text);
public sealed record Withdrawn(string ApplicationId);
public sealed record DeemedAnswered(string ApplicationId, DateTimeOffset DueAt, int CommentsSeen);
public sealed record ReminderSent(string ApplicationId, int Number, DateTimeOffset NextReminderAt);

public sealed record Application(string Status = "none", int Comments = 0, int Reminders = 0)
{
    public bool Pending => Status == "submitted";

    public static Application Evolve(Application state, object e) => e switch
    {
        Submitted => state with { Status = "submitted" },
        Answered => state with { Status = "answered" },
        Withdrawn => state with { Status = "withdrawn" },
        DeemedAnswered => state with { Status = "deemed-answered" },
        Commented => state with { Comments = state.Comments + 1 },
        ReminderSent r => state with { Reminders = r.Number },
        _ => state,
    };
}

public static class ApplicationTimers
{
    public const string StreamType = "application";
    public const string DeemedAnswer = "deemed-answer";
    public const string Reminder = "reminder";

    public static void RegisterTypes(EventTypeRegistry types) => types
        .Register<Submitted>().Register<DeadlineExtended>().Register<Answered>().Register<Commented>()
        .Register<Withdrawn>().Register<DeemedAnswered>().Register<ReminderSent>();

    /// <summary>Which events schedule and cancel which timers. Withdrawn deliberately cancels nothing: the handler must notice.</summary>
    public static TimerRegistry Map(TimerRegistry timers) => timers
        .On<Submitted>((e, _) => TimerInstruction.Schedule(DeemedAnswer, e.AnswerDueAt, new { reason = "no answer within the legal time" }))
        .On<DeadlineExtended>((e, _) => TimerInstruction.Schedule(DeemedAnswer, e.AnswerDueAt))
        .On<Answered>((_, _) => TimerInstruction.Cancel(DeemedAnswer))
        .On<DeemedAnswered>((_, _) => TimerInstruction.Cancel(DeemedAnswer))
        .On<ReminderSent>((e, _) => TimerInstruction.Schedule(Reminder, e.NextReminderAt));
}

/// <summary>Deems a pending application answered; counts its calls and can act between loading and deciding.</summary>
public sealed class DeemedAnswerHandler : ITimerHandler
{
    private int _calls;
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Runs after the state is loaded, before the decision is returned (call number, timer, store).</summary>
    public Func<int, DueTimer, PgEventStore, Task>? AfterLoad { get; init; }

    public async Task<TimerDecision> DecideAsync(DueTimer timer, PgEventStore store, CancellationToken ct)
    {
        var call = Interlocked.Increment(ref _calls);
        var current = await store.AggregateStreamAsync(timer.StreamId, new Application(), Application.Evolve, ct: ct);
        if (current is null || !current.State.Pending) return TimerDecision.Nothing;
        if (AfterLoad is not null) await AfterLoad(call, timer, store);
        return TimerDecision.Append(timer.StreamId, ApplicationTimers.StreamType, current.Version,
            new DeemedAnswered(timer.StreamId, timer.DueAt, current.State.Comments));
    }
}

/// <summary>Sends a reminder a day later, for as long as the application is pending.</summary>
public sealed class ReminderHandler : ITimerHandler
{
    public async Task<TimerDecision> DecideAsync(DueTimer timer, PgEventStore store, CancellationToken ct)
    {
        var current = await store.AggregateStreamAsync(timer.StreamId, new Application(), Application.Evolve, ct: ct);
        if (current is null || !current.State.Pending) return TimerDecision.Nothing;
        return TimerDecision.Append(timer.StreamId, ApplicationTimers.StreamType, current.Version,
            new ReminderSent(timer.StreamId, current.State.Reminders + 1, timer.Now.AddDays(1)));
    }
}
