using GovEvents.Api.Cases;
using GovEvents.Api.Common;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Domain.Complaints;
using GovEvents.EventStore;
using GovEvents.Projections.Complaints;
using Npgsql;
using NpgsqlTypes;

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

    /// <summary>The awaited step is overdue when its due date has passed (the day of the act not counted).</summary>
    private static ComplaintView WithOverdue(ComplaintView v, DateOnly today) => v with { Overdue = v.Open && v.DueDate is { } due && due < today };

    private static async Task<IResult> Get(string id, RequestActor actor, PgEventStore store, ComplaintCommandHandler handler, HttpContext http, CancellationToken ct)
    {
        var view = (await store.FetchStreamAsync(Complaint.StreamId(id), ct: ct)).Aggregate((ComplaintView?)null, ComplaintViewBuilder.Apply);
        if (view is null || !(SeesAll(actor) || view.FiledBy == actor.Subject)) return CommandResults.NotFound($"No complaint {id}.");
        http.Response.Headers.ETag = $"\"{view.Version}\"";
        return Results.Ok(WithOverdue(view, (await handler.ClockAsync(ct)).Today));
    }

    private static async Task<IResult> List(string? status, string? departmentCode, bool? overdue, int? page, int? pageSize,
        RequestActor actor, PgEventStore store, ComplaintCommandHandler handler, CancellationToken ct)
    {
        var errors = new FieldErrors()
            .Require(status is null || Statuses.Contains(status), "status", string.Join(", ", Statuses) + ".")
            .Require(page is null or >= 1, "page", "1 or more.")
            .Require(pageSize is null or (>= 1 and <= 500), "pageSize", "1 to 500.");
        if (errors.Any) return errors.Problem();
        var (p, size) = (page ?? 1, pageSize ?? 50);
        var today = (await handler.ClockAsync(ct)).Today;

        const string where = """
             where ($1::text is null or data->>'status' = $1)
               and ($2::text is null or data->>'departmentCode' = $2)
               and ($3::boolean is null or coalesce((data->>'open')::boolean and (data->>'dueDate')::date < $4, false) = $3)
               and ($5::text is null or data->>'filedBy' = $5)
            """;
        var table = $"{store.Schema}.{ComplaintViewProjection.TableName}";
        NpgsqlParameter[] Filters() =>
        [
            Text(status), Text(departmentCode),
            new NpgsqlParameter { Value = (object?)overdue ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Boolean },
            new NpgsqlParameter<DateOnly> { TypedValue = today, NpgsqlDbType = NpgsqlDbType.Date },
            Text(SeesAll(actor) ? null : actor.Subject),
        ];

        await using var count = store.DataSource.CreateCommand($"select count(*) from {table} {where}");
        count.Parameters.AddRange(Filters());
        var total = (long)(await count.ExecuteScalarAsync(ct))!;

        // Complaint ids are time-ordered (UUIDv7): newest first.
        await using var rows = store.DataSource.CreateCommand($"select data::text from {table} {where} order by id desc limit $6 offset $7");
        rows.Parameters.AddRange(Filters());
        rows.Parameters.Add(new NpgsqlParameter<int> { TypedValue = size });
        rows.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (p - 1) * size });
        var items = new List<ComplaintView>();
        await using (var r = await rows.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
                items.Add(WithOverdue(store.Serializer.Deserialize<ComplaintView>(r.GetString(0))!, today));
        return Results.Ok(new PagedList<ComplaintView>(items, (int)total, p, size));
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
}
