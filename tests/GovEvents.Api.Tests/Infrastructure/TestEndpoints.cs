using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using GovEvents.Api.Hosting;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Hosting.Problems;
using GovEvents.Store;

namespace GovEvents.Api.Tests.Infrastructure;

public sealed record NoteTaken(string NoteId, string Text, DateTimeOffset TakenAt);
public sealed record TakeNote(string Text, int DelayMs = 0);
public enum NoteStatus { Draft, InReview }
public sealed record EchoBody(string Name, int Count, DateOnly Day, DateTimeOffset At, NoteStatus Status);

/// <summary>Endpoints that exist only in the test host, to exercise the pipeline without domain features.</summary>
public sealed class TestEndpoints : IEndpointModule
{
    /// <summary>How often each test endpoint actually ran.</summary>
    public sealed class Counters
    {
        private int _notes;
        private int _flaky;
        public int Notes => Volatile.Read(ref _notes);
        public int NoteTaken() => Interlocked.Increment(ref _notes);
        public int FlakyRuns => Volatile.Read(ref _flaky);
        public int FlakyRan() => Interlocked.Increment(ref _flaky);
    }

    public void Map(IEndpointRouteBuilder app)
    {
        var test = app.MapGroup("/test");
        test.MapGet("/reception-only", (RequestActor actor) => Results.Ok(new { actor.Subject }))
            .RequireAuthorization(Policies.CaseReception);
        test.MapGet("/context", () => Results.Ok(EventContext.Current)).RequireAuthorization();
        test.MapPost("/echo", (EchoBody body) => Results.Ok(body)).AllowAnonymous();
        test.MapPost("/notes", TakeNoteAsync).RequireAuthorization();
        test.MapGet("/throw", string () => throw new InvalidOperationException("secret internals: password=hunter2"));
        test.MapPost("/conflict", IResult () => throw new ConcurrencyException("case-1", ExpectedVersion.At(3), 4));
        test.MapPost("/flaky", (Counters counters) => counters.FlakyRan() == 1
            ? throw new TimeoutException("the first attempt fails")
            : Results.Created("/test/flaky/1", new { run = counters.FlakyRuns })).RequireAuthorization();
        test.MapPost("/refuse", () => Refusal.Refused("materials-incomplete", "The ID card copy is missing."));
        test.MapPost("/too-large", IResult () => throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge));
    }

    private static async Task<IResult> TakeNoteAsync(TakeNote command, EventLog store, TimeProvider time, Counters counters, HttpContext http, CancellationToken ct)
    {
        if (command.DelayMs > 0) await Task.Delay(command.DelayMs, ct);
        var id = "note-" + Guid.NewGuid().ToString("N");
        var version = await store.StartStreamAsync(id, [new NoteTaken(id, command.Text, time.GetUtcNow())], ct);
        var run = counters.NoteTaken();
        http.Response.Headers.ETag = $"\"{version}\"";
        return Results.Created($"/test/notes/{id}", new { id, version, run });
    }
}

/// <summary>A sweep step that remembers when and as whom it ran.</summary>
public sealed class RecordingSweepStep : GovEvents.Api.Dev.ISweepStep
{
    public string Name => "recording";
    public List<(DateTimeOffset Now, EventMetadata Actor)> Runs { get; } = [];

    public Task<GovEvents.Api.Dev.SweepStepOutcome> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        lock (Runs) Runs.Add((now, EventContext.Current));
        return Task.FromResult(new GovEvents.Api.Dev.SweepStepOutcome(1, "recorded"));
    }
}
