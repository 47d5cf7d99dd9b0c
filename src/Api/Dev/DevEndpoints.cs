using GovEvents.Api.Hosting;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Store;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace GovEvents.Api.Dev;

public sealed record DevTokenRequest(string? Subject, string[]? Roles, string? DepartmentCode, string? WindowCode = null);
public sealed record DevTokenResponse(string Token, DateTimeOffset ExpiresAt);
public sealed record DevClockRequest(DateTimeOffset? Now);
public sealed record DevClockResponse(DateTimeOffset Now, bool Fixed);
public sealed record SweepResponse(DateTimeOffset Now, IReadOnlyList<SweepStepReport> Steps);
public sealed record SweepStepReport(string Name, int Processed, string? Detail);

/// <summary>
/// /api/dev: tokens for any role, a settable clock and an on-demand sweep. Mapped only when
/// GovEvents:Dev:Enabled is true; otherwise the routes do not exist (404).
/// </summary>
public static class DevEndpoints
{
    public static IEndpointRouteBuilder MapDevEndpoints(this IEndpointRouteBuilder app)
    {
        var dev = app.MapGroup("/api/dev").WithTags("Development").AllowAnonymous();
        dev.MapPost("/tokens", IssueToken);
        dev.MapGet("/clock", ReadClock);
        dev.MapPut("/clock", SetClock);
        dev.MapDelete("/clock", ReleaseClock);
        dev.MapPost("/sweep", Sweep);
        return app;
    }

    private static Results<Ok<DevTokenResponse>, ValidationProblem> IssueToken(
        DevTokenRequest request, TokenIssuer issuer, TimeProvider time, IOptions<GovEventsSettings> settings)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Subject)) errors["subject"] = ["Required."];
        if (request.Roles is not { Length: > 0 }) errors["roles"] = ["At least one role."];
        else if (request.Roles.Where(r => !Roles.All.Contains(r)).ToList() is { Count: > 0 } unknown)
            errors["roles"] = [$"Unknown role(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", Roles.All)}."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var expiresAt = time.GetUtcNow().AddMinutes(settings.Value.Jwt.TokenLifetimeMinutes);
        var token = issuer.Issue(request.Subject!, request.Roles!.Distinct(), request.DepartmentCode, request.WindowCode);
        return TypedResults.Ok(new DevTokenResponse(token, expiresAt));
    }

    private static Ok<DevClockResponse> ReadClock(DevClock clock) => TypedResults.Ok(new DevClockResponse(clock.GetUtcNow(), clock.IsSet));

    private static Results<Ok<DevClockResponse>, ValidationProblem> SetClock(DevClockRequest request, DevClock clock)
    {
        if (request.Now is not { } now)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["now"] = ["Required: an instant with offset."] });
        clock.Set(now);
        return TypedResults.Ok(new DevClockResponse(clock.GetUtcNow(), true));
    }

    private static Ok<DevClockResponse> ReleaseClock(DevClock clock)
    {
        clock.Release();
        return TypedResults.Ok(new DevClockResponse(clock.GetUtcNow(), false));
    }

    private static async Task<Ok<SweepResponse>> Sweep(IEnumerable<ISweepStep> steps, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var reports = new List<SweepStepReport>();
        // Time-driven acts are the system's, not the developer's who asked for the sweep.
        using (EventContext.Use(EventMetadata.System with { CorrelationId = EventContext.Current.CorrelationId }))
        {
            foreach (var step in steps)
            {
                var outcome = await step.RunAsync(now, ct);
                reports.Add(new SweepStepReport(step.Name, outcome.Processed, outcome.Detail));
            }
        }
        return TypedResults.Ok(new SweepResponse(now, reports));
    }
}
