using GovEvents.Api.Cases;
using GovEvents.Api.Common;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Domain.Cases;
using GovEvents.Store;
using GovEvents.Projections.Cases;

namespace GovEvents.Api.Ratings;

public sealed record RatingRequest(RatingStage? Stage, int? Level, string? Comment, bool? RealName);
public sealed record RatingCreated(string Id, int Version, string Status, string RatingId);
public sealed record FollowUpRequest(string? Note);
public sealed record AppealRequest(string? Reason);
public sealed record AppealDecisionRequest(bool? Upheld, string? Note);

/// <summary>
/// 好差评 on the case: rated by the applicant or agent of the case (or a clerk for them); a bad
/// review's callback and rectification by the manager or a leader; its appeal (申诉) by the staff
/// who served the case, decided by the hall manager.
/// </summary>
public static class RatingEndpoints
{
    public static IEndpointRouteBuilder MapRatings(this IEndpointRouteBuilder app)
    {
        var ratings = app.MapGroup("/api/cases/{id}/ratings").WithTags("Ratings");
        ratings.MapPost("/", Rate).RequireAuthorization(Policies.CaseIntake);
        ratings.MapGet("/{ratingId}", Get).RequireAuthorization(Policies.CaseReads);
        ratings.MapPost("/{ratingId}/callback", Callback).RequireAuthorization(Policies.Oversight);
        ratings.MapPost("/{ratingId}/rectification", Rectify).RequireAuthorization(Policies.Oversight);
        ratings.MapPost("/{ratingId}/appeal", Appeal).RequireAuthorization(Policies.RatingAppeals);
        ratings.MapPost("/{ratingId}/appeal/decision", DecideAppeal).RequireAuthorization(Policies.Manager);
        return app;
    }

    private static async Task<IResult> Rate(string id, RatingRequest request, RequestActor actor, CaseCommands handler,
        RatingDeadlines deadlines, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors().Require(request.Stage is not null, "stage", "acceptance or completion.")
            .Require(request.Level is >= 1 and <= 5, "level", "1 (非常不满意) to 5 (非常满意).")
            .Require(request.Comment is null || request.Comment.Length <= 2000, "comment", "At most 2000 characters.");
        if (errors.Any) return errors.Problem();
        var ratingId = Guid.CreateVersion7(time.GetUtcNow()).ToString();
        var command = new RateCase(ratingId, request.Stage!.Value, request.Level!.Value, request.Comment ?? "", request.RealName ?? false,
            actor.Subject!, deadlines);
        return await CaseCommandRunner.RunAsync(http, handler, id, (s, c) => CaseDecider.Rate(s, command, c), ct,
            visible: s => CaseAccess.MayAct(actor, s.SubmittedBy, s.AgentStaffId),
            body: (done, _) => new RatingCreated(done.Id, done.Version, done.Status, ratingId),
            createdAt: $"/api/cases/{id}/ratings/{ratingId}");
    }

    private static async Task<IResult> Get(string id, string ratingId, RequestActor actor, EventLog store, CancellationToken ct)
    {
        var view = (await store.FetchStreamAsync(id, ct: ct)).Aggregate((CaseView?)null, CaseViewBuilder.Apply);
        if (view is null || !CaseAccess.MayRead(actor, view.SubmittedBy, view.AgentStaffId)) return CommandResults.NotFound($"No case {id}.");
        return view.Ratings.FirstOrDefault(r => r.RatingId == ratingId) is { } rating
            ? Results.Ok(rating)
            : CommandResults.NotFound($"No rating {ratingId} on case {id}.");
    }

    private static Task<IResult> Callback(string id, string ratingId, FollowUpRequest request, RequestActor actor, CaseCommands handler,
        HttpContext http, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(request.Note)
            ? Task.FromResult(CommandResults.Invalid("note", "What the callback found."))
            : CaseCommandRunner.RunAsync(http, handler, id,
                (s, c) => CaseDecider.RecordRatingCallback(s, new RecordRatingFollowUp(ratingId, request.Note!, actor.Subject!), c), ct);

    private static Task<IResult> Rectify(string id, string ratingId, FollowUpRequest request, RequestActor actor, CaseCommands handler,
        HttpContext http, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(request.Note)
            ? Task.FromResult(CommandResults.Invalid("note", "What was put right."))
            : CaseCommandRunner.RunAsync(http, handler, id,
                (s, c) => CaseDecider.RecordRatingRectification(s, new RecordRatingFollowUp(ratingId, request.Note!, actor.Subject!), c), ct);

    private static Task<IResult> Appeal(string id, string ratingId, AppealRequest request, RequestActor actor, CaseCommands handler,
        HttpContext http, CancellationToken ct) =>
        CaseCommandRunner.RunAsync(http, handler, id,
            (s, c) => CaseDecider.AppealRating(s, new AppealRating(ratingId, request.Reason ?? "", actor.Subject!), c), ct);

    private static Task<IResult> DecideAppeal(string id, string ratingId, AppealDecisionRequest request, RequestActor actor, CaseCommands handler,
        HttpContext http, CancellationToken ct) =>
        request.Upheld is null
            ? Task.FromResult(CommandResults.Invalid("upheld", "true to exclude the review from statistics, false to keep it."))
            : CaseCommandRunner.RunAsync(http, handler, id,
                (s, c) => CaseDecider.DecideRatingAppeal(s, new DecideRatingAppeal(ratingId, request.Upheld.Value, request.Note ?? "", actor.Subject!), c), ct);
}
