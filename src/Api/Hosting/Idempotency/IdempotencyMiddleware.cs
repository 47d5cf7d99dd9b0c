using System.Security.Cryptography;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Store;
using Npgsql;
using Microsoft.AspNetCore.Mvc;

namespace GovEvents.Api.Hosting.Idempotency;

/// <summary>
/// Idempotency-Key on any POST: the first request runs and its answer (status, Location, ETag, body)
/// is kept; a retry with the same key gets that answer again and runs nothing; the same key with
/// another body is a 422. The request runs inside one database transaction that its appends join
/// (<see cref="AppendScope"/>) and that commits its answer with its events: after a crash of the API
/// or of PostgreSQL, either both exist (a retry replays the answer) or neither (a retry runs afresh).
/// Of two requests with one key running at once, the one that commits second is rolled back and
/// answered with the first one's answer; a lock on the key makes them wait for it rather than run. Runs after authorization, so only allowed requests run.
/// A 5xx is never kept: the client's retry runs again.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    public async Task InvokeAsync(HttpContext http, IdempotencyStore store, NpgsqlDataSource db, IProblemDetailsService problems)
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
        await using var conn = await db.OpenConnectionAsync(http.RequestAborted);
        await using var tx = await conn.BeginTransactionAsync(http.RequestAborted);
        // Duplicates running at once wait here for the first one's commit (a crash frees the lock); a retry replays it.
        await store.LockAsync(tx, request, http.RequestAborted);
        if (await AnsweredAsync(http, store, problems, request)) return;
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            using (AppendScope.Use(tx))
                await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        var response = http.Response;
        if (response.StatusCode < 500)
        {
            try
            {
                await store.StoreAsync(tx, request, new StoredResponse(
                    response.StatusCode, response.ContentType, HeaderValue(response, "Location"), HeaderValue(response, "ETag"), buffer.ToArray()),
                    CancellationToken.None);
                await tx.CommitAsync(CancellationToken.None);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // The same key committed first in another request: this one's work is undone, its answer given.
                await tx.RollbackAsync(CancellationToken.None);
                ResetResponse(http);
                if (await AnsweredAsync(http, store, problems, request)) return;
                throw;
            }
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted);
    }

    /// <summary>Answers from the stored first answer (or refuses a reused key); false when the key is unused.</summary>
    private static async Task<bool> AnsweredAsync(HttpContext http, IdempotencyStore store, IProblemDetailsService problems, IdempotentRequest request)
    {
        switch (await store.FindAsync(request, http.RequestAborted))
        {
            case KeyLookup.Answered answered:
                await Replay(http, answered.Response);
                return true;
            case KeyLookup.Mismatch:
                await WriteProblem(http, problems, Problems.Refusal.Problem("idempotency-key-reused",
                    "This Idempotency-Key was already used for a different request."));
                return true;
            default:
                return false;
        }
    }

    private static void ResetResponse(HttpContext http)
    {
        http.Response.Headers.Clear();
        http.Response.StatusCode = StatusCodes.Status200OK;
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
