using System.Security.Cryptography;
using GovEvents.Api.Hosting.Auth;
using Microsoft.AspNetCore.Mvc;

namespace GovEvents.Api.Hosting.Idempotency;

/// <summary>
/// Idempotency-Key on any POST: the first request runs and its response (status, Location, ETag,
/// body) is kept; a retry with the same key gets that response again and runs nothing; the same
/// key with another body is a 422, and a duplicate arriving while the first still runs a 409.
/// Runs after authorization, so only requests allowed to run claim a key. A 5xx or an exception
/// releases the key so that the client's retry runs again.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    public async Task InvokeAsync(HttpContext http, IdempotencyStore store, IProblemDetailsService problems)
    {
        var key = http.Request.Headers[Header].ToString();
        if (!HttpMethods.IsPost(http.Request.Method) || key.Length == 0 || http.GetEndpoint() is null)
        {
            await next(http);
            return;
        }
        if (key.Length > MaxKeyLength)
        {
            await WriteProblem(http, problems, new HttpValidationProblemDetails(
                new Dictionary<string, string[]> { [Header] = [$"At most {MaxKeyLength} characters."] })
            { Status = StatusCodes.Status400BadRequest, Title = "The request is invalid" });
            return;
        }

        var request = new IdempotentRequest(
            RequestActor.From(http).Subject ?? "", key, http.Request.Method, http.Request.Path + http.Request.QueryString,
            await HashBodyAsync(http.Request, http.RequestAborted));

        switch (await store.ClaimAsync(request, http.RequestAborted))
        {
            case ClaimOutcome.Completed done:
                await Replay(http, done.Response);
                return;
            case ClaimOutcome.Mismatch:
                await WriteProblem(http, problems, Problems.Refusal.Problem("idempotency-key-reused",
                    "This Idempotency-Key was already used for a different request."));
                return;
            case ClaimOutcome.InProgress:
                await WriteProblem(http, problems, new ProblemDetails
                {
                    Status = StatusCodes.Status409Conflict,
                    Title = "Request in progress",
                    Detail = "A request with this Idempotency-Key is still being processed; retry later.",
                });
                return;
        }

        await RunAndKeepAsync(http, store, request);
    }

    private async Task RunAndKeepAsync(HttpContext http, IdempotencyStore store, IdempotentRequest request)
    {
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        catch
        {
            http.Response.Body = original;
            await store.ReleaseAsync(request);
            throw;
        }
        http.Response.Body = original;

        var response = http.Response;
        if (response.StatusCode >= 500)
            await store.ReleaseAsync(request);
        else
            await store.CompleteAsync(request, new StoredResponse(
                response.StatusCode, response.ContentType, HeaderValue(response, "Location"), HeaderValue(response, "ETag"), buffer.ToArray()),
                CancellationToken.None);

        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted);
    }

    private static string? HeaderValue(HttpResponse response, string name) =>
        response.Headers.TryGetValue(name, out var v) && v.Count > 0 ? v.ToString() : null;

    private static async Task Replay(HttpContext http, StoredResponse stored)
    {
        var response = http.Response;
        response.StatusCode = stored.Status;
        if (stored.ContentType is not null) response.ContentType = stored.ContentType;
        if (stored.Location is not null) response.Headers.Location = stored.Location;
        if (stored.ETag is not null) response.Headers.ETag = stored.ETag;
        response.Headers[ReplayedHeader] = "true";
        if (stored.Body.Length > 0)
        {
            response.ContentLength = stored.Body.Length;
            await response.Body.WriteAsync(stored.Body, http.RequestAborted);
        }
    }

    private static async Task<byte[]> HashBodyAsync(HttpRequest request, CancellationToken ct)
    {
        // Buffered so that the endpoint can still read the body after we hashed it.
        request.EnableBuffering();
        var hash = await SHA256.HashDataAsync(request.Body, ct);
        request.Body.Position = 0;
        return hash;
    }

    private static Task WriteProblem(HttpContext http, IProblemDetailsService problems, ProblemDetails problem)
    {
        http.Response.StatusCode = problem.Status!.Value;
        return problems.WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem }).AsTask();
    }
}
