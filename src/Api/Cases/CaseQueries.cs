using GovEvents.Api.Common;
using GovEvents.Api.Hosting;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Domain.Cases;
using GovEvents.Domain.Time;
using GovEvents.Store;
using GovEvents.Projections.Cases;
using Marten;

namespace GovEvents.Api.Cases;

public sealed record CaseViewResponse(
    string Id, string CaseNumber, string MatterCode, string MatterName, int MatterVersion, string DepartmentCode, string? WindowCode,
    string Status, Applicant Applicant, string? AgentStaffId, string Channel, IReadOnlyList<string> Materials, IReadOnlyList<DeferredView> Deferred,
    DateTimeOffset ReceivedAt, DateTimeOffset? AcceptedAt, bool DeemedAccepted, DateTimeOffset? DecidedAt, string? Outcome,
    DateOnly? PromisedDeadline, DateOnly? StatutoryDeadline, string? Light, int WorkingDaysUsed, int SuspendedDays, int? ExtensionDays,
    IReadOnlyList<SignatureView> Signatures, ParallelReviewView? ParallelReview, IReadOnlyList<SuspensionView> Suspensions,
    FeesView Fees, LicenceView? Licence, IReadOnlyList<RatingView> Ratings, DateOnly? LicenceDueDate, DateOnly? PostCheckDueDate,
    string? PostCheckOutcome, string? TransferredTo, DateTimeOffset? ClosedAt, int Version);

public sealed record CaseHistoryEntry(long Sequence, int Version, string Type, DateTimeOffset Timestamp, object Data, EventMetadata Metadata, string Hash);
public sealed record PublicCaseResponse(string CaseNumber, string MatterName, string Status, DateTimeOffset ReceivedAt, DateOnly? PromisedDeadline);
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary>Reads of cases: the view (folded live from the stream), the work queue, history, state as of, public lookup.</summary>
public static class CaseQueries
{
    /// <summary>The case statuses of the vocabulary, as the queue's status filter accepts them.</summary>
    private static readonly string[] Statuses = [.. Enum.GetValues<CaseStatus>().Select(CaseDecider.Kebab)];

    public static IEndpointRouteBuilder MapCaseQueries(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/cases").WithTags("Cases").RequireAuthorization(Policies.CaseReads);
        cases.MapGet("/", Queue);
        cases.MapGet("/{id}", Get);
        cases.MapGet("/{id}/history", History);
        cases.MapGet("/{id}/state", State);
        app.MapGet("/api/public/cases/{caseNumber}", PublicLookup).WithTags("Public").AllowAnonymous();
        return app;
    }

    /// <summary>The case's events folded into its view, up to a version or time (null: no such case, or nothing by then).</summary>
    private static async Task<CaseView?> FoldAsync(EventLog store, string id, int? version, DateTimeOffset? asOf, CancellationToken ct)
    {
        var events = await store.FetchStreamAsync(id, 1, version, asOf, ct);
        return events.Aggregate((CaseView?)null, CaseViewBuilder.Apply);
    }

    private static async Task<CaseViewResponse> RespondAsync(CaseView v, RequestActor actor, CaseCommands handler, HallTimeZone hall, DateTimeOffset? at, CancellationToken ct)
    {
        var clock = await handler.ClockAsync(ct);
        var today = at is { } t ? DateOnly.FromDateTime(hall.ToHallTime(t).DateTime) : clock.Today;
        var hallClock = new HallClock(hall.Zone);
        return For(actor, ToResponse(v, today, clock.Calendar, hallClock), v);
    }

    /// <summary>The response as <paramref name="actor"/> may see it: the applicant's id number and phone masked unless they need them.</summary>
    private static CaseViewResponse For(RequestActor actor, CaseViewResponse response, CaseView v) =>
        PersonalData.SeesInFull(actor, v.DepartmentCode, v.WindowCode, v.SubmittedBy, v.AgentStaffId)
            ? response
            : response with { Applicant = PersonalData.Masked(response.Applicant) };

    public static CaseViewResponse ToResponse(CaseView v, DateOnly today, WorkingCalendar calendar, HallClock hall) => new(
        v.Id, v.CaseNumber, v.MatterCode, v.MatterName, v.MatterVersion, v.DepartmentCode, v.WindowCode, v.Status, v.Applicant,
        v.AgentStaffId, v.Channel, v.Materials, v.Deferred, v.ReceivedAt, v.AcceptedAt, v.DeemedAccepted, v.DecidedAt, v.Outcome,
        v.PromisedDeadline, v.StatutoryDeadline, CaseTiming.Light(v, today, calendar, hall), CaseTiming.WorkingDaysUsed(v, today, calendar, hall),
        v.SuspendedDays, v.ExtensionDays, v.Signatures, v.ParallelReview, v.Suspensions, v.Fees, v.Licence, v.Ratings, v.LicenceDueDate,
        v.PostCheckDueDate, v.PostCheckOutcome, v.TransferredTo, v.ClosedAt, v.Version);

    private static async Task<IResult> Get(string id, RequestActor actor, EventLog store, CaseCommands handler, HallTimeZone hall, HttpContext http, CancellationToken ct)
    {
        var view = await FoldAsync(store, id, null, null, ct);
        if (view is null || !CaseAccess.MayRead(actor, view.SubmittedBy, view.AgentStaffId)) return CommandResults.NotFound($"No case {id}.");
        http.Response.Headers.ETag = $"\"{view.Version}\"";
        return Results.Ok(await RespondAsync(view, actor, handler, hall, null, ct));
    }

    private static async Task<IResult> State(string id, DateTimeOffset? asOf, int? version, RequestActor actor, EventLog store,
        CaseCommands handler, HallTimeZone hall, CancellationToken ct)
    {
        if (asOf is not null && version is not null) return CommandResults.Invalid("asOf", "Give asOf or version, not both.");
        if (version is < 1) return CommandResults.Invalid("version", "1 or more.");
        var latest = await FoldAsync(store, id, null, null, ct);
        if (latest is null || !CaseAccess.MayRead(actor, latest.SubmittedBy, latest.AgentStaffId)) return CommandResults.NotFound($"No case {id}.");
        var view = asOf is null && version is null ? latest : await FoldAsync(store, id, version, asOf, ct);
        if (view is null) return CommandResults.NotFound(asOf is not null ? $"Case {id} did not exist at {asOf:o}." : $"Case {id} has no version {version}.");
        if (version is { } v && v > latest.Version) return CommandResults.NotFound($"Case {id} is at version {latest.Version}.");
        return Results.Ok(await RespondAsync(view, actor, handler, hall, asOf, ct));
    }

    private static async Task<IResult> History(string id, RequestActor actor, EventLog store, CancellationToken ct)
    {
        var events = await store.FetchStreamWithHashesAsync(id, ct: ct);
        var view = events.Aggregate((CaseView?)null, CaseViewBuilder.Apply);
        if (view is null || !CaseAccess.MayRead(actor, view.SubmittedBy, view.AgentStaffId)) return CommandResults.NotFound($"No case {id}.");
        var full = PersonalData.SeesInFull(actor, view.DepartmentCode, view.WindowCode, view.SubmittedBy, view.AgentStaffId);
        return Results.Ok(events.Select(e => new CaseHistoryEntry(e.Sequence, e.Version, e.Type, e.Timestamp,
            !full && e.Data is CaseSubmitted s ? s with { Applicant = PersonalData.Masked(s.Applicant) } : e.Data,
            e.Metadata, e.Hash is null ? "" : Convert.ToHexStringLower(e.Hash))).ToList());
    }

    private static async Task<IResult> Queue(string? status, string? departmentCode, string? windowCode, string? staffId, string? matterCode,
        string? light, DateOnly? from, DateOnly? to, int? page, int? pageSize, RequestActor actor, EventLog store,
        CaseCommands handler, HallTimeZone hall, CancellationToken ct)
    {
        var errors = new FieldErrors()
            .Require(page is null or >= 1, "page", "1 or more.")
            .Require(pageSize is null or (>= 1 and <= 500), "pageSize", "1 to 500.")
            .Require(light is null or CaseTiming.Green or CaseTiming.Yellow or CaseTiming.Red or CaseTiming.Breach, "light", "green, yellow, red or breach.")
            .Require(status is null || Statuses.Contains(status), "status", $"One of {string.Join(", ", Statuses)}.");
        if (errors.Any) return errors.Problem();
        var (p, size) = (page ?? 1, pageSize ?? 50);

        await using var session = store.Store.QuerySession();
        IQueryable<CaseView> query = session.Query<CaseView>();
        if (status is not null) query = query.Where(v => v.Status == status);
        if (departmentCode is not null) query = query.Where(v => v.DepartmentCode == departmentCode);
        if (windowCode is not null) query = query.Where(v => v.WindowCode == windowCode);
        if (staffId is not null) query = query.Where(v => v.StaffIds.Contains(staffId));
        if (matterCode is not null) query = query.Where(v => v.MatterCode == matterCode);
        if (from is not null) query = query.Where(v => v.ReceivedDate >= from.Value);
        if (to is not null) query = query.Where(v => v.ReceivedDate <= to.Value);
        if (!CaseAccess.SeesAll(actor))
        {
            var subject = actor.Subject!;
            query = actor.IsApplicant ? query.Where(v => v.SubmittedBy == subject)
                : actor.IsInRole(Roles.Agent) ? query.Where(v => v.AgentStaffId == subject)
                : query.Where(v => false);
        }
        var views = await query.OrderBy(v => v.ReceivedDate).ThenBy(v => v.CaseNumber).ToListAsync(ct);

        var clock = await handler.ClockAsync(ct);
        var hallClock = new HallClock(hall.Zone);
        var rows = views.Select(v => For(actor, ToResponse(v, clock.Today, clock.Calendar, hallClock), v)).Where(r => light is null || r.Light == light).ToList();
        return Results.Ok(new PagedList<CaseViewResponse>(rows.Skip((p - 1) * size).Take(size).ToList(), rows.Count, p, size));
    }

    private static async Task<IResult> PublicLookup(string caseNumber, string? queryCode, EventLog store, CancellationToken ct)
    {
        // 信息服务: progress by case number and query code, no login, minimal data; a wrong code looks like no case.
        if (string.IsNullOrWhiteSpace(queryCode)) return CommandResults.NotFound("No such case.");
        await using var session = store.Store.QuerySession();
        var v = await session.Query<CaseView>().FirstOrDefaultAsync(x => x.CaseNumber == caseNumber, ct);
        // An unknown case number costs a hash too, so that timing does not tell it from a wrong code.
        var hash = v?.QueryCodeHash ?? UnknownCase;
        if (!hash.Matches(queryCode) || v is null) return CommandResults.NotFound("No such case.");
        return Results.Ok(new PublicCaseResponse(v.CaseNumber, v.MatterName, v.Status, v.ReceivedAt, v.PromisedDeadline));
    }

    private static readonly QueryCodeHash UnknownCase = QueryCodeHash.Of("", new byte[QueryCodeHash.SaltBytes]);
}
