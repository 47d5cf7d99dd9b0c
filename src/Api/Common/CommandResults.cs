using GovEvents.Api.Commands;
using GovEvents.Api.Hosting.Problems;
using Microsoft.AspNetCore.Mvc;

namespace GovEvents.Api.Common;

/// <summary>Every command response: { id, version, status } plus what the endpoint adds.</summary>
public sealed record CommandResponse(string Id, int Version, string Status);

/// <summary>Maps a command's outcome to HTTP once: 200/201 with ETag, 422 refusal, 404, 409.</summary>
public static class CommandResults
{
    public static IResult ToResult(this CommandOutcome outcome, HttpContext http, Func<CommandOutcome.Done, object>? body = null, string? createdAt = null)
    {
        switch (outcome)
        {
            case CommandOutcome.Done done:
                http.Response.Headers.ETag = $"\"{done.Version}\"";
                var payload = body?.Invoke(done) ?? new CommandResponse(done.Id, done.Version, done.Status);
                return createdAt is null ? Results.Ok(payload) : Results.Created(createdAt, payload);
            case CommandOutcome.Refused r:
                return Refusal.Refused(r.Refusal.Rule, r.Refusal.Detail);
            case CommandOutcome.NotFound nf:
                return NotFound($"No {nf.Noun} {nf.Id}.");
            case CommandOutcome.VersionMismatch vm:
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: $"The {vm.Noun} has changed",
                    detail: vm.Actual >= 0
                        ? $"The {vm.Noun} is at version {vm.Actual}, not {vm.Expected}. Reload it and try again."
                        : $"The {vm.Noun} changed meanwhile. Reload it and try again.");
            default:
                throw new InvalidOperationException(outcome.GetType().Name);
        }
    }

    public static IResult NotFound(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    public static IResult Conflict(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    public static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>The If-Match header as an expected version ("3" or W/"3"); null when absent.</summary>
    public static bool TryIfMatch(HttpContext http, out int? version, out IResult? problem)
    {
        version = null;
        problem = null;
        var raw = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(raw) || raw == "*") return true;
        var trimmed = raw.Trim();
        if (trimmed.StartsWith("W/", StringComparison.Ordinal)) trimmed = trimmed[2..];
        if (int.TryParse(trimmed.Trim('"'), out var v) && v >= 0) { version = v; return true; }
        problem = Invalid("If-Match", "If-Match carries the case version, e.g. \"3\".");
        return false;
    }
}

/// <summary>Field errors collected while validating a request (the 400's `errors`).</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public FieldErrors Require(bool ok, string field, string message)
    {
        if (!ok) Add(field, message);
        return this;
    }

    public FieldErrors Required(string? value, string field) => Require(!string.IsNullOrWhiteSpace(value), field, "Required.");

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    public bool Any => _errors.Count > 0;

    public IResult Problem() => Results.ValidationProblem(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}
