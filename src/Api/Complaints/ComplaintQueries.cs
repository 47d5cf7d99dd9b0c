using GovEvents.Api.Cases;
using GovEvents.Api.Common;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Domain.Complaints;
using GovEvents.Store;
using GovEvents.Projections.Complaints;
using Marten;

namespace GovEvents.Api.Complaints;

/// <summary>
/// Reads of complaints: the manager, leaders and inspectors see all; anyone else only the
/// complaints they filed (another's is a 404). The detail is folded live from the stream
/// (read-your-writes); the list reads the async projection.
/// </summary>
public static class ComplaintQueries
{
    private static readonly HashSet<string> Overseers = [Roles.Manager, Roles.Leader, Roles.Inspector];
    private static readonly HashSet<string> Statuses = [.. Enum.GetValues<ComplaintStatus>().Select(ComplaintDecider.Kebab)];

    public static IEndpointRouteBuilder MapComplaintQueries(this IEndpointRouteBuilder app)
    {
        var complaints = app.MapGroup("/api/complaints").WithTags("Complaints").RequireAuthorization(Policies.ComplaintReads);
        complaints.MapGet("/", List);
        complaints.MapGet("/{id}", Get);
        return app;
    }

    private static bool SeesAll(RequestActor actor) => actor.Roles.Any(Overseers.Contains);

    /// <summary>
    /// The complainant's phone in full for the complainant, the hall's managers (who handle complaints) and the
    /// leaders of the department answering for it; masked for inspectors and other departments' leaders.
    /// </summary>
    private static ComplaintView For(RequestActor actor, ComplaintView view)
    {
        var full = Filed(actor, view)
            || (!actor.IsInRole(Roles.Inspector) && (actor.IsInRole(Roles.Manager) || actor.DepartmentCode == view.DepartmentCode));
        return full ? view : view with { Complainant = view.Complainant with { Phone = Cases.PersonalData.Mask(view.Complainant.Phone, 3, 4) } };
    }

    /// <summary>The complainant reads what they filed: the same subject of the same kind (an applicant's id that equals a staff id is not that staff member).</summary>
    private static bool Filed(RequestActor actor, ComplaintView view) => view.FiledBy == actor.Subject && view.FiledByApplicant == actor.IsApplicant;

    /// <summary>The awaited step is overdue when its due date has passed (the day of the act not counted).</summary>
    private static ComplaintView WithOverdue(ComplaintView v, DateOnly today) => v with { Overdue = v.Open && v.DueDate is { } due && due < today };

    private static async Task<IResult> Get(string id, RequestActor actor, EventLog store, ComplaintCommands handler, HttpContext http, CancellationToken ct)
    {
        var view = (await store.FetchStreamAsync(Complaint.StreamId(id), ct: ct)).Aggregate((ComplaintView?)null, ComplaintViewBuilder.Apply);
        if (view is null || !(SeesAll(actor) || Filed(actor, view))) return CommandResults.NotFound($"No complaint {id}.");
        http.Response.Headers.ETag = $"\"{view.Version}\"";
        return Results.Ok(For(actor, WithOverdue(view, (await handler.ClockAsync(ct)).Today)));
    }

    private static async Task<IResult> List(string? status, string? departmentCode, bool? overdue, int? page, int? pageSize,
        RequestActor actor, EventLog store, ComplaintCommands handler, CancellationToken ct)
    {
        var errors = new FieldErrors()
            .Require(status is null || Statuses.Contains(status), "status", string.Join(", ", Statuses) + ".")
            .Require(page is null or >= 1, "page", "1 or more.")
            .Require(pageSize is null or (>= 1 and <= 500), "pageSize", "1 to 500.");
        if (errors.Any) return errors.Problem();
        var (p, size) = (page ?? 1, pageSize ?? 50);
        var today = (await handler.ClockAsync(ct)).Today;

        await using var session = store.Store.QuerySession();
        IQueryable<ComplaintView> query = session.Query<ComplaintView>();
        if (status is not null) query = query.Where(c => c.Status == status);
        if (departmentCode is not null) query = query.Where(c => c.DepartmentCode == departmentCode);
        if (overdue is { } late)
            query = late
                ? query.Where(c => c.Open && c.DueDate != null && c.DueDate < today)
                : query.Where(c => !(c.Open && c.DueDate != null && c.DueDate < today));
        if (!SeesAll(actor))
        {
            var (subject, applicant) = (actor.Subject, actor.IsApplicant);
            query = query.Where(c => c.FiledBy == subject && c.FiledByApplicant == applicant);
        }
        var total = await query.CountAsync(ct);
        // Complaint ids are time-ordered (UUIDv7): newest first.
        var items = (await query.OrderByDescending(c => c.Id).Skip((p - 1) * size).Take(size).ToListAsync(ct))
            .Select(c => For(actor, WithOverdue(c, today))).ToList();
        return Results.Ok(new PagedList<ComplaintView>(items, (int)total, p, size));
    }

}
