using System.Diagnostics;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Store;

namespace GovEvents.Api.Hosting.Context;

/// <summary>
/// Makes the caller the metadata of every event the request appends: actor (sub) and kind, roles,
/// department, window (the token's claim or the staff member's registered window), correlation id (X-Correlation-Id, else the trace id) and causation id (this
/// request). Echoes the correlation id so clients can follow a flow across requests.
/// </summary>
public sealed class EventContextMiddleware(RequestDelegate next)
{
    public const string CorrelationHeader = "X-Correlation-Id";

    public async Task InvokeAsync(HttpContext http, StaffWindows windows)
    {
        var actor = await RequestActor.ResolveAsync(http, windows);
        var correlation = http.Request.Headers[CorrelationHeader].ToString() is { Length: > 0 and <= 128 } given
            ? given
            : Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
        http.Response.Headers[CorrelationHeader] = correlation;

        using (EventContext.Use(MetadataFor(actor, correlation, http.TraceIdentifier)))
            await next(http);
    }

    public static EventMetadata MetadataFor(RequestActor actor, string correlationId, string causationId) =>
        (actor.IsAuthenticated ? new EventMetadata
        {
            ActorId = actor.Subject,
            ActorKind = actor.IsApplicant ? ActorKind.Applicant : ActorKind.Staff,
            // Several roles are kept together; an endpoint acting in one capacity narrows it with
            // EventContext.Use(EventContext.Current with { Role = ... }).
            Role = actor.Roles.Count == 0 ? null : string.Join(',', actor.Roles),
            Department = actor.DepartmentCode,
            Window = actor.WindowCode,
        } : new EventMetadata { ActorId = "anonymous", ActorKind = ActorKind.Applicant })
        with { CorrelationId = correlationId, CausationId = causationId };
}
