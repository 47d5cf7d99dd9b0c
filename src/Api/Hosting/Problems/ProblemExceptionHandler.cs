using System.Text.Json;
using GovEvents.Store;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace GovEvents.Api.Hosting.Problems;

/// <summary>
/// The one place exceptions become RFC 9457 problem details: bad input is a 400 (never a 5xx),
/// a concurrency conflict a 409, a domain refusal a 422 with its rule, an unreachable database a 503
/// with Retry-After; anything else is a 500 that says nothing about the server's internals.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, DatabaseOutage outage, ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    // 499 (nginx's "client closed request"): nobody reads the answer, and it is not a server fault.
    private const int ClientClosedRequest = 499;

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is OperationCanceledException && http.RequestAborted.IsCancellationRequested)
        {
            http.Response.StatusCode = ClientClosedRequest;
            return true;
        }
        var problem = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } bad => InvalidInput(bad),
            BadHttpRequestException bad => new ProblemDetails { Status = bad.StatusCode, Detail = bad.Message },
            DomainRefusalException refusal => Refusal.Problem(refusal.Rule, refusal.Message),
            _ when DatabaseOutage.IsUnavailable(exception) => Unavailable(http, exception),
            ConcurrencyException conflict => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Concurrency conflict",
                Detail = "The resource was changed by another request; reload it and try again.",
                Extensions = { ["streamId"] = conflict.StreamId, ["actualVersion"] = conflict.Actual },
            },
            _ => null,
        };
        if (problem is null)
        {
            log.LogError(exception, "Unhandled exception on {Method} {Path}", http.Request.Method, http.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "An unexpected error occurred",
                Detail = "The request could not be completed; the error was logged.",
            };
        }
        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private ProblemDetails Unavailable(HttpContext http, Exception exception)
    {
        outage.Answered(exception);
        http.Response.Headers.RetryAfter = DatabaseOutage.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "The service is unavailable",
            Detail = "The database cannot be reached just now; nothing was recorded. Try again shortly.",
        };
    }

    // Binding failures (malformed JSON, a wrong type, a missing parameter) arrive as one exception;
    // the JSON error says where, which is what a client needs to fix its request.
    private static HttpValidationProblemDetails InvalidInput(BadHttpRequestException bad)
    {
        var json = bad.InnerException as JsonException;
        var field = json?.Path is { Length: > 0 } path ? path
            : BoundParameter.Match(bad.Message) is { Success: true } parameter ? parameter.Groups["name"].Value
            : "request";
        var message = json is null ? bad.Message : $"{bad.Message} {FirstLine(json.Message)}";
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is invalid",
        };
    }

    // A query or route value that does not parse: 'Failed to bind parameter "DateOnly? from" from "x".'
    private static readonly System.Text.RegularExpressions.Regex BoundParameter =
        new("parameter \"(?:[^\"]*\\s)?(?<name>[^\"\\s]+)\"", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
