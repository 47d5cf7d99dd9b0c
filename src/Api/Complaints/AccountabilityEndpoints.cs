using GovEvents.Api.Commands;
using GovEvents.Api.Common;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Domain.Complaints;
using GovEvents.Store;
using GovEvents.Projections.Cases;

namespace GovEvents.Api.Complaints;

public sealed record AccountabilityRequest(AccountabilityMeasure? Measure, string? ComplaintId, string? Reason);
public sealed record AccountabilityCreated(string Id, int Version, string Status, string StaffId, string? ComplaintId);
public sealed record AccountabilityView(string MeasureId, string Measure, string? ComplaintId, string Reason, string By, DateTimeOffset RecordedAt);

/// <summary>
/// 问责: measures (谈话提醒, 批评教育, 通报批评, 调整岗位) recorded on the staff member's stream by the
/// manager or a leader, and linked on the complaint's stream in the same transaction.
/// </summary>
public static class AccountabilityEndpoints
{
    public static IEndpointRouteBuilder MapAccountability(this IEndpointRouteBuilder app)
    {
        var staff = app.MapGroup("/api/staff/{id}/accountability").WithTags("Complaints");
        staff.MapPost("/", Record).RequireAuthorization(Policies.Oversight);
        staff.MapGet("/", List).RequireAuthorization(Policies.Supervision);
        return app;
    }

    private static string StaffStream(string id) => $"staff-{id}";

    private static async Task<IResult> Record(string id, AccountabilityRequest request, RequestActor actor, ComplaintCommands complaints,
        Commands.Commands commands, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        if (request.Measure is null) return CommandResults.Invalid("measure", "reminder, education, notice or reassignment.");
        if (request.ComplaintId is { } named && await complaints.LoadAsync(named, ct) is null)
            return CommandResults.Invalid("complaintId", $"No complaint {named}.");

        // The measure goes on the staff member's stream, its link on the complaint's, in one transaction;
        // the complaint is read inside the decision, so that a retry after a conflict reads it again.
        var measureId = Guid.CreateVersion7(time.GetUtcNow()).ToString();
        Aggregate<Complaint>? complaint = null;
        var outcome = await commands.DecideAsync(StreamKind.Counted("staff member"), StaffStream(id), async _ =>
        {
            complaint = request.ComplaintId is { } complaintId ? await complaints.LoadAsync(complaintId, ct) : null;
            return ComplaintDecider.RecordAccountability(complaint?.State,
                new RecordAccountability(measureId, id, request.Measure.Value, request.Reason ?? "", actor.Subject!), await complaints.ClockAsync(ct));
        }, new CommandOptions<int>
        {
            Elsewhere = events => complaint is null
                ? []
                : [StreamAppend.To(Complaint.StreamId(request.ComplaintId!), complaint.Version, [.. events.OfType<ComplaintAccountabilityLinked>()])],
        }, ct);
        return outcome switch
        {
            CommandOutcome.NotFound => CommandResults.NotFound($"No staff member {id}."),
            _ => outcome.ToResult(http, done => new AccountabilityCreated(measureId, done.Version, "recorded", id, request.ComplaintId),
                $"/api/staff/{id}/accountability"),
        };
    }

    private static async Task<IResult> List(string id, EventLog store, CancellationToken ct)
    {
        var events = await store.FetchStreamAsync(StaffStream(id), ct: ct);
        if (events.Count == 0) return CommandResults.NotFound($"No staff member {id}.");
        var items = events.Select(e => e.Data).OfType<AccountabilityMeasureRecorded>()
            .Select(m => new AccountabilityView(m.MeasureId, CaseViewBuilder.Kebab(m.Measure), m.ComplaintId, m.Reason, m.By, m.RecordedAt))
            .ToList();
        return Results.Ok(new Cases.PagedList<AccountabilityView>(items, items.Count, 1, Math.Max(items.Count, 1)));
    }
}
