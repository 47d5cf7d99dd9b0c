using System.Reflection;
using System.Security.Claims;

namespace GovEvents.Api.Hosting.Auth;

/// <summary>
/// Who is calling, from the token: bind it as a handler parameter (<c>RequestActor actor</c>) to put
/// the actor on a command. Anonymous callers get <see cref="Anonymous"/>.
/// </summary>
public sealed record RequestActor(string? Subject, IReadOnlyList<string> Roles, string? DepartmentCode, string? WindowCode)
{
    public static readonly RequestActor Anonymous = new(null, [], null, null);

    public const string WindowHeader = "X-Window";

    public bool IsAuthenticated => Subject is not null;
    public bool IsInRole(string role) => Roles.Contains(role);

    /// <summary>An applicant acting for themselves: no staff role on the token.</summary>
    public bool IsApplicant => Roles.Count > 0 && Roles.All(r => !Auth.Roles.IsStaff(r));

    public static RequestActor From(HttpContext http)
    {
        var user = http.User;
        if (user.Identity?.IsAuthenticated != true) return Anonymous;
        var window = user.FindFirstValue(GovClaims.Window)
            ?? (http.Request.Headers[WindowHeader].ToString() is { Length: > 0 and <= 64 } header ? header : null);
        return new RequestActor(
            user.FindFirstValue(GovClaims.Subject),
            user.FindAll(GovClaims.Role).Select(c => c.Value).Distinct().ToList(),
            user.FindFirstValue(GovClaims.Department),
            window);
    }

    // Minimal APIs bind a parameter of this type by calling BindAsync (never from the body).
    public static ValueTask<RequestActor?> BindAsync(HttpContext http, ParameterInfo _) => ValueTask.FromResult<RequestActor?>(From(http));
}
