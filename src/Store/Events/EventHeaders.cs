using JasperFx.Events;

namespace GovEvents.Store;

/// <summary>Our metadata in Marten's columns: correlation and causation ids in theirs, the caller in headers.</summary>
public static class EventHeaders
{
    public const string ActorId = "actor-id";
    public const string ActorKind = "actor-kind";
    public const string Role = "role";
    public const string Department = "department";
    public const string Window = "window";
    public const string Delegation = "delegation-id";

    public static void Write(IEvent e, EventMetadata m)
    {
        e.CorrelationId = m.CorrelationId;
        e.CausationId = m.CausationId;
        Set(e, ActorId, m.ActorId);
        Set(e, ActorKind, m.ActorKind switch
        {
            Store.ActorKind.Staff => "staff",
            Store.ActorKind.Applicant => "applicant",
            _ => "system",
        });
        Set(e, Role, m.Role);
        Set(e, Department, m.Department);
        Set(e, Window, m.Window);
        Set(e, Delegation, m.DelegationId);
    }

    public static EventMetadata Read(IEvent e) => new()
    {
        ActorId = Get(e, ActorId),
        ActorKind = Get(e, ActorKind) switch
        {
            "staff" => Store.ActorKind.Staff,
            "applicant" => Store.ActorKind.Applicant,
            _ => Store.ActorKind.System,
        },
        Role = Get(e, Role),
        Department = Get(e, Department),
        Window = Get(e, Window),
        DelegationId = Get(e, Delegation),
        CorrelationId = e.CorrelationId,
        CausationId = e.CausationId,
    };

    private static void Set(IEvent e, string key, string? value)
    {
        if (value is not null) e.SetHeader(key, value);
    }

    private static string? Get(IEvent e, string key) =>
        e.Headers is { } headers && headers.TryGetValue(key, out var value) ? value?.ToString() : null;
}
