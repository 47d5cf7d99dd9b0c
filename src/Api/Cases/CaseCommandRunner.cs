using GovEvents.Api.Commands;
using GovEvents.Api.Common;
using GovEvents.Domain;
using GovEvents.Domain.Cases;

namespace GovEvents.Api.Cases;

/// <summary>
/// Runs one decision on a case for an endpoint: If-Match honoured, cases the caller may not see
/// hidden (404), and a refusal "not-found" (an unknown part of the case, such as a rating) a 404
/// too. The response body may use the case as it stands after the appended events.
/// </summary>
public static class CaseCommandRunner
{
    public const string NotFoundRule = "not-found";

    public static Task<IResult> RunAsync(HttpContext http, CaseCommands handler, string id,
        Func<Case, CaseClock, Decision> decide, CancellationToken ct, Func<Case, bool>? visible = null,
        Func<CommandOutcome.Done, Case, object>? body = null, string? createdAt = null, string? refusedAsConflict = null) =>
        RunAsync(http, handler, id, (s, c) => Task.FromResult(decide(s, c)), ct, visible, body, createdAt, refusedAsConflict);

    /// <summary>As above, for decisions that first read something (a signer's delegations, a department's leader).</summary>
    public static async Task<IResult> RunAsync(HttpContext http, CaseCommands handler, string id,
        Func<Case, CaseClock, Task<Decision>> decide, CancellationToken ct, Func<Case, bool>? visible = null,
        Func<CommandOutcome.Done, Case, object>? body = null, string? createdAt = null, string? refusedAsConflict = null)
    {
        if (!CommandResults.TryIfMatch(http, out var ifMatch, out var problem)) return problem!;
        var outcome = await handler.HandleAsync(id, ifMatch, decide, ct, visible);
        if (outcome is CommandOutcome.Refused { Refusal.Rule: NotFoundRule } missing) return CommandResults.NotFound(missing.Refusal.Detail);
        if (outcome is CommandOutcome.Refused { Refusal: var conflict } && conflict.Rule == refusedAsConflict)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: conflict.Detail,
                extensions: new Dictionary<string, object?> { ["rule"] = conflict.Rule });
        return outcome.ToResult(http, body is null ? null : done => body(done, (Case)done.State),
            outcome is CommandOutcome.Done { Events.Count: > 0 } ? createdAt : null);
    }

    public static IResult Forbidden(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);
}
