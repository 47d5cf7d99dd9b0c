namespace GovEvents.Store;

public enum ActorKind { Staff, Applicant, System }

/// <summary>Who did it, in which capacity, and why: stored beside every event's data.</summary>
public sealed record EventMetadata
{
    public string? ActorId { get; init; }
    public ActorKind ActorKind { get; init; } = ActorKind.System;
    public string? Role { get; init; }
    public string? Department { get; init; }
    public string? Window { get; init; }
    /// <summary>The delegation (授权委托) a signature relied on, when one did.</summary>
    public string? DelegationId { get; init; }
    public string? CorrelationId { get; init; }
    public string? CausationId { get; init; }

    public static readonly EventMetadata System = new() { ActorId = "system", ActorKind = ActorKind.System };
}

/// <summary>
/// The ambient per-request context the store reads metadata from (set by the API for each
/// request, by the timer runner for each timer). Flows with the async call chain.
/// </summary>
public static class EventContext
{
    private static readonly Ambient<EventMetadata> Ambient = new();

    public static EventMetadata Current => Ambient.Value ?? EventMetadata.System;

    /// <summary>Sets the context until the returned scope is disposed.</summary>
    public static IDisposable Use(EventMetadata metadata) => Ambient.Use(metadata);
}
