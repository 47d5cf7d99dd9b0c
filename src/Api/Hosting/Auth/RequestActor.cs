using System.Reflection;
using System.Security.Claims;

namespace GovEvents.Api.Hosting.Auth;

/// <summary>
/// Who is calling, from the token: bind it as a handler parameter (<c>RequestActor actor</c>) to put
/// the actor on a command. Anonymous callers get <see cref="Anonymous"/>. The window is the token's
/// <c>window</c> claim or, for staff acting without one, the window the organisation registered them at
/// (<see cref="EventContextMiddleware"/> resolves it once per request); never a client header.
/// </summary>
public sealed record RequestActor(string? Subject, IReadOnlyList<string> Roles, string? DepartmentCode, string? WindowCode)
{
    public static readonly RequestActor Anonymous = new(null, [], null, null);

    public bool IsAuthenticated => Subject is not null;
    public bool IsInRole(string role) => Roles.Contains(role);

    /// <summary>An applicant acting for themselves: no staff role on the token.</summary>
    public bool IsApplicant => Roles.Count > 0 && Roles.All(r => !Auth.Roles.IsStaff(r));

    public static RequestActor From(HttpContext http)
    {
        if (http.Items.TryGetValue(typeof(RequestActor), out var resolved) && resolved is RequestActor known) return known;
        var user = http.User;
        if (user.Identity?.IsAuthenticated != true) return Anonymous;
        return new RequestActor(
            user.FindFirstValue(GovClaims.Subject),
            user.FindAll(GovClaims.Role).Select(c => c.Value).Distinct().ToList(),
            user.FindFirstValue(GovClaims.Department),
            user.FindFirstValue(GovClaims.Window));
    }

    /// <summary>The actor of this request, with the window the server knows for staff who act without a window claim.</summary>
    public static async Task<RequestActor> ResolveAsync(HttpContext http, StaffWindows windows)
    {
        var actor = From(http);
        if (actor is { IsAuthenticated: true, IsApplicant: false, WindowCode: null })
            actor = actor with { WindowCode = await windows.WindowOfAsync(actor.Subject!, http.RequestAborted) };
        http.Items[typeof(RequestActor)] = actor;
        return actor;
    }

    // Minimal APIs bind a parameter of this type by calling BindAsync (never from the body).
    public static ValueTask<RequestActor?> BindAsync(HttpContext http, ParameterInfo _) => ValueTask.FromResult<RequestActor?>(From(http));
}
