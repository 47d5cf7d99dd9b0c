using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using Newtonsoft.Json;

namespace GovEvents.Store.Timers;

/// <summary>
/// A durable timer by the hall clock, keyed by (stream, kind). <see cref="Schedule"/> identifies
/// the event that set it: the runner removes only the schedule that fired, never a later one.
/// </summary>
public sealed record ScheduledTimer
{
    public string Id { get; init; } = "";
    public string StreamId { get; init; } = "";
    public string Kind { get; init; } = "";
    public DateTimeOffset DueAt { get; init; }
    public string? PayloadJson { get; init; }
    public Guid Schedule { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset? RetryAt { get; init; }
    public string? LastError { get; init; }

    public static string IdFor(string streamId, string kind) => $"{streamId}|{kind}";
}

/// <summary>
/// Keeps the timers in step with the events, inline in the appending transaction, so a timer
/// exists exactly when the committed history says it should: scheduling again replaces it (and
/// forgets earlier failures), a cancellation deletes it.
/// </summary>
public sealed partial class TimerProjection : EventProjection
{
    public const string ProjectionName = "timers";
    private readonly TimerRegistry _registry;

    public TimerProjection(TimerRegistry registry)
    {
        _registry = registry;
        Name = ProjectionName;
        foreach (var type in registry.EventTypes) IncludeType(type);
    }

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken ct)
    {
        foreach (var instruction in _registry.InstructionsFor(e.Data))
        {
            var id = ScheduledTimer.IdFor(e.StreamKey!, instruction.Kind);
            if (instruction.DueAt is { } due)
                operations.Store(new ScheduledTimer
                {
                    Id = id, StreamId = e.StreamKey!, Kind = instruction.Kind, DueAt = due.ToUniversalTime(), Schedule = e.Id,
                    PayloadJson = instruction.Payload is null ? null : JsonConvert.SerializeObject(instruction.Payload),
                });
            else
                operations.Delete<ScheduledTimer>(id);
        }
        return ValueTask.CompletedTask;
    }

    public static void Configure(StoreOptions opts, TimerRegistry registry)
    {
        opts.Schema.For<ScheduledTimer>().DocumentAlias("scheduled_timer").Duplicate(x => x.DueAt, pgType: "timestamptz");
        opts.Projections.Add(new TimerProjection(registry), ProjectionLifecycle.Inline);
    }
}
