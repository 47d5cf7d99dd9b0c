using GovEvents.Api.Commands;
using GovEvents.Api.Common;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Hosting.Database;
using GovEvents.Domain.Supervision;
using GovEvents.Projections.Supervision;
using GovEvents.Store;
using Marten;
using Marten.Linq;

namespace GovEvents.Api.Supervision;

public sealed record AlertReviewRequest(string? Note);

/// <summary>One alert of the list: API.md's fields, then its kind, detail, resolution and reviews.</summary>
public sealed record AlertItem(
    string Id, string Rule, string? CaseId, string? ComplaintId, string? RatingId, string DepartmentCode, string? WindowCode, string? StaffId,
    DateTimeOffset FirstSeen, DateTimeOffset? ResolvedAt, string Kind, string Detail, string? Resolution, IReadOnlyList<AlertReviewView> Reviews);

/// <summary>
/// 预警纠错 (API.md Supervision): GET /api/supervision/alerts?rule=&amp;departmentCode=&amp;staffId=&amp;open= (inspector,
/// manager, leader; the list shape, CSV) and POST /api/supervision/alerts/{id}/review { note } (manager, leader):
/// the review is an event on the alert's stream; it resolves an anomaly, is recorded on an open deadline
/// alert without resolving it, and is a 409 on a resolved alert (nothing appended).
/// </summary>
public static class AlertEndpoints
{
    private static readonly StreamKind<Alert> Kind = new("alert", Alert.Initial, Alert.Evolve)
    {
        Status = a => a.Resolved ? "resolved" : "open",
    };

    /// <summary>The alert list projection and the reaction that raises and resolves alerts.</summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services) =>
        services.ConfigureStore(opts =>
        {
            AlertViewProjection.Configure(opts);
            AlertReactor.Configure(opts);
        });

    public static IEndpointRouteBuilder MapAlerts(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/supervision/alerts", List).WithTags("Supervision").RequireAuthorization(Policies.Supervision);
        app.MapPost("/api/supervision/alerts/{id}/review", Review).WithTags("Supervision").RequireAuthorization(Policies.Oversight);
        return app;
    }

    private static async Task<IResult> List(string? rule, string? departmentCode, string? staffId, bool? open, int? page, int? pageSize, string? format,
        HttpContext http, EventLog store, CancellationToken ct)
    {
        var errors = new FieldErrors().CheckList(page, pageSize, format)
            .Require(rule is null || AlertRules.All.Contains(rule), "rule", $"One of {string.Join(", ", AlertRules.All)}.");
        if (errors.Any) return errors.Problem();

        await using var session = store.Store.QuerySession();
        IQueryable<AlertView> query = session.Query<AlertView>();
        if (rule is not null) query = query.Where(a => a.Rule == rule);
        if (departmentCode is not null) query = query.Where(a => a.DepartmentCode == departmentCode);
        if (staffId is not null) query = query.Where(a => a.StaffId == staffId);
        if (open is { } o) query = query.Where(a => a.Open == o);
        query = query.OrderByDescending(a => a.FirstSeen).ThenBy(a => a.Id);

        var csvAll = Lists.WantsCsv(http, format) && page is null && pageSize is null;
        var (p, size) = (page ?? 1, pageSize ?? Lists.DefaultPageSize);
        QueryStatistics? stats = null;
        var rows = csvAll
            ? await query.ToListAsync(ct)
            : await ((IMartenQueryable<AlertView>)query).Stats(out stats).Skip((p - 1) * size).Take(size).ToListAsync(ct);
        var items = rows.Select(a => new AlertItem(a.Id, a.Rule, a.CaseId, a.ComplaintId, a.RatingId, a.DepartmentCode, a.WindowCode, a.StaffId,
            a.FirstSeen, a.ResolvedAt, a.Kind, a.Detail, a.Resolution, a.Reviews)).ToList();
        if (Lists.WantsCsv(http, format)) return Results.Text(Lists.Csv(http, items), $"{Lists.CsvMediaType}; charset=utf-8");
        return Results.Ok(new { items, total = (int)stats!.TotalResults, page = p, pageSize = size });
    }

    private static async Task<IResult> Review(string id, AlertReviewRequest request, RequestActor actor, Commands.Commands commands,
        TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Note)) return CommandResults.Invalid("note", "Required: what was found and corrected.");
        var now = time.GetUtcNow();
        var outcome = await commands.DecideAsync(Kind, id, alert => AlertDecider.Review(alert, request.Note, actor.Subject!, now), null, ct);
        return outcome is CommandOutcome.Refused { Refusal.Rule: AlertDecider.AlreadyResolved } resolved
            ? CommandResults.Conflict(resolved.Refusal.Detail)
            : outcome.ToResult(http);
    }
}
