using GovEvents.Api.Common;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Domain.Complaints;
using GovEvents.Store;
using GovEvents.Projections.Cases;
using Refusal = GovEvents.Api.Hosting.Problems.Refusal;

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
        EventLog store, TimeProvider time, CancellationToken ct)
    {
        if (request.Measure is null) return CommandResults.Invalid("measure", "reminder, education, notice or reassignment.");
        var staff = await store.StreamVersionAsync(StaffStream(id), ct);
        if (staff is null) return CommandResults.NotFound($"No staff member {id}.");
        var complaint = request.ComplaintId is { } complaintId ? await complaints.LoadAsync(complaintId, ct) : null;
        if (request.ComplaintId is not null && complaint is null) return CommandResults.Invalid("complaintId", $"No complaint {request.ComplaintId}.");

        var measureId = Guid.CreateVersion7(time.GetUtcNow()).ToString();
        var decision = ComplaintDecider.RecordAccountability(complaint?.State,
            new RecordAccountability(measureId, id, request.Measure.Value, request.Reason ?? "", actor.Subject!), await complaints.ClockAsync(ct));
        if (decision.Refusal is { } refusal) return Refusal.Refused(refusal.Rule, refusal.Detail);

        var appends = new List<StreamAppend> { StreamAppend.To(StaffStream(id), staff.Value, [.. decision.Events.OfType<AccountabilityMeasureRecorded>()]) };
        if (complaint is not null)
            appends.Add(StreamAppend.To(Complaint.StreamId(request.ComplaintId!), complaint.Version,
                [.. decision.Events.OfType<ComplaintAccountabilityLinked>()]));
        try
        {
            await store.AppendAsync(appends, ct);
            return Results.Created($"/api/staff/{id}/accountability",
                new AccountabilityCreated(measureId, EventLog.VersionAfter(appends[0]), "recorded", id, request.ComplaintId));
        }
        catch (ConcurrencyException)
        {
            return CommandResults.Conflict("The staff member or the complaint changed meanwhile; try again.");
        }
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
