using GovEvents.Api.Commands;
using GovEvents.Api.Common;
using GovEvents.Api.Hosting;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Supervision;
using GovEvents.Domain;
using GovEvents.Domain.Audit;
using GovEvents.Store;

namespace GovEvents.Api.Audit;

public sealed record FileReviewRequest(DateOnly? From, DateOnly? To, int? SampleSize);
public sealed record FileReviewCreated(string Id, IReadOnlyList<string> CaseIds);
public sealed record GradeRequest(string? CaseId, FileGrade? Grade, string? Findings);
public sealed record GradeView(string CaseId, FileGrade Grade, string Findings, string GradedBy, DateTimeOffset GradedAt);
public sealed record FileReviewView(string Id, DateOnly From, DateOnly To, int SampleSize, IReadOnlyList<string> CaseIds,
    string StartedBy, DateTimeOffset StartedAt, IReadOnlyList<GradeView> Grades, int Version);

/// <summary>
/// 案卷评查 (API.md Audit): an auditor or inspector samples the cases closed in a period (closing
/// date in the hall's zone) and grades each sampled case once. Each review is a stream of its own.
/// </summary>
public static class FileReviewEndpoints
{
    public const string StreamType = "file-review";
    public const int MaxSample = 1000;

    public static IEndpointRouteBuilder MapFileReviews(this IEndpointRouteBuilder app)
    {
        var reviews = app.MapGroup("/api/audit/file-reviews").WithTags("Audit").RequireAuthorization(Policies.FileReviews);
        reviews.MapPost("/", Start);
        reviews.MapGet("/{id}", Get);
        reviews.MapPost("/{id}/grades", Grade);
        return app;
    }

    private static async Task<IResult> Start(FileReviewRequest request, RequestActor actor, EventLog store, Commands.Commands commands, HallTimeZone hall,
        TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors()
            .Require(request.From is not null, "from", "Required.")
            .Require(request.To is not null, "to", "Required.")
            .Require(request.From is null || request.To is null || request.From <= request.To, "to", "On or after from.")
            .Require(request.SampleSize is >= 1 and <= MaxSample, "sampleSize", $"1 to {MaxSample}.");
        if (errors.Any) return errors.Problem();
        var (from, to) = (request.From!.Value, request.To!.Value);

        var closed = new List<string>();
        await foreach (var view in CaseViews.ReadAsync(store, null, ct))
            if (view.IsClosed && view.ClosedAt is { } at && MetricPeriod.Within(DateOnly.FromDateTime(hall.ToHallTime(at).DateTime), from, to))
                closed.Add(view.Id);

        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now).ToString();
        var decision = FileReview.Start(id, from, to, request.SampleSize!.Value, closed, Random.Shared, actor.Subject!, now);
        var outcome = await commands.DecideAsync(Kind, FileReview.StreamId(id), _ => decision, new CommandOptions<FileReview> { MayStart = true }, ct);
        return outcome.ToResult(http, done => new FileReviewCreated(id, done.Events.OfType<FileReviewStarted>().Single().CaseIds),
            $"/api/audit/file-reviews/{id}");
    }

    private static async Task<IResult> Get(string id, EventLog store, CancellationToken ct) =>
        await LoadViewAsync(store, id, ct) is { } view ? Results.Ok(view) : CommandResults.NotFound($"No file review {id}.");

    private static async Task<IResult> Grade(string id, GradeRequest request, RequestActor actor, EventLog store, Commands.Commands commands, TimeProvider time,
        HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors().Required(request.CaseId, "caseId")
            .Require(request.Grade is not null, "grade", "excellent, pass or fail.");
        if (errors.Any) return errors.Problem();

        var outcome = await commands.DecideAsync(Kind, FileReview.StreamId(id),
            review => FileReview.Grade(review, request.CaseId!, request.Grade!.Value, request.Findings ?? "", actor.Subject!, time.GetUtcNow()), null, ct);
        return outcome switch
        {
            CommandOutcome.NotFound => CommandResults.NotFound($"No file review {id}."),
            CommandOutcome.Done => Results.Ok(await LoadViewAsync(store, id, ct)),
            _ => outcome.ToResult(http),
        };
    }

    private static readonly StreamKind<FileReview> Kind = new("file review", FileReview.Empty, FileReview.Evolve);

    private static async Task<FileReviewView?> LoadViewAsync(EventLog store, string id, CancellationToken ct)
    {
        var events = await store.FetchStreamAsync(FileReview.StreamId(id), ct: ct);
        if (events.Count == 0 || events[0].Data is not FileReviewStarted s) return null;
        var grades = events.Select(e => e.Data).OfType<FileReviewCaseGraded>()
            .Select(g => new GradeView(g.CaseId, g.Grade, g.Findings, g.GradedBy, g.GradedAt)).ToList();
        return new FileReviewView(s.ReviewId, s.From, s.To, s.SampleSize, s.CaseIds, s.StartedBy, s.StartedAt, grades, events[^1].Version);
    }
}
