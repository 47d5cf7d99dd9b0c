using GovEvents.EventStore;
using Npgsql;
using NpgsqlTypes;

namespace GovEvents.Projections.Cases;

/// <summary>
/// The case views as a table: the work queue's filters are columns, the view itself jsonb. One
/// batch loads the touched views in one query, applies events newer than each view's last
/// sequence (replay-safe), and writes them back in one statement.
/// </summary>
public sealed class CaseViewProjection : IProjection
{
    public const string TableName = "case_views";

    public string Name => TableName;

    public IReadOnlyList<ProjectionTable> Tables { get; } =
    [
        new(TableName, """
            create table if not exists {table} (
                id text primary key,
                case_number text not null,
                query_code text not null,
                status text not null,
                department_code text not null,
                window_code text,
                matter_code text not null,
                received_date date not null,
                submitted_by text,
                agent_staff_id text,
                staff_ids text[] not null,
                data jsonb not null,
                last_seq bigint not null
            );
            create unique index on {table} (case_number);
            create index on {table} (department_code, status, received_date);
            """),
    ];

    public async Task ApplyAsync(IReadOnlyList<StoredEvent> events, ProjectionContext context, CancellationToken ct)
    {
        var relevant = events.Where(e => e.Data.GetType().Namespace == typeof(Domain.Cases.CaseSubmitted).Namespace).ToList();
        if (relevant.Count == 0) return;
        var table = context.Table(TableName);
        var ids = relevant.Select(e => e.StreamId).Distinct().ToArray();

        var views = new Dictionary<string, (CaseView View, long LastSeq)>();
        await using (var load = context.Command($"select id, data, last_seq from {table} where id = any($1)"))
        {
            load.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids });
            await using var r = await load.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                views[r.GetString(0)] = (context.Serializer.Deserialize<CaseView>(r.GetString(1))!, r.GetInt64(2));
        }

        var changed = new Dictionary<string, (CaseView View, long LastSeq)>();
        foreach (var e in relevant)
        {
            views.TryGetValue(e.StreamId, out var current);
            if (current.View is not null && e.Sequence <= current.LastSeq) continue;
            var next = CaseViewBuilder.Apply(current.View, e);
            if (next is null) continue;
            views[e.StreamId] = changed[e.StreamId] = (next, e.Sequence);
        }
        if (changed.Count == 0) return;

        var rows = changed.Values.ToList();
        await using var write = context.Command($"""
            insert into {table} (id, case_number, query_code, status, department_code, window_code, matter_code, received_date,
                                 submitted_by, agent_staff_id, staff_ids, data, last_seq)
            select u.id, u.case_number, u.query_code, u.status, u.department_code, u.window_code, u.matter_code, u.received_date,
                   u.submitted_by, u.agent_staff_id, string_to_array(u.staff_ids, ' '), u.data, u.last_seq
              from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::date[],
                          $9::text[], $10::text[], $11::text[], $12::jsonb[], $13::bigint[])
                   as u(id, case_number, query_code, status, department_code, window_code, matter_code, received_date,
                        submitted_by, agent_staff_id, staff_ids, data, last_seq)
            on conflict (id) do update set case_number = excluded.case_number, query_code = excluded.query_code,
                status = excluded.status, department_code = excluded.department_code, window_code = excluded.window_code,
                matter_code = excluded.matter_code, received_date = excluded.received_date, submitted_by = excluded.submitted_by,
                agent_staff_id = excluded.agent_staff_id, staff_ids = excluded.staff_ids, data = excluded.data, last_seq = excluded.last_seq
            """);
        void Add<T>(T[] values, NpgsqlDbType type) => write.Parameters.Add(new NpgsqlParameter<T[]> { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | type });
        Add(rows.Select(x => x.View.Id).ToArray(), NpgsqlDbType.Text);
        Add(rows.Select(x => x.View.CaseNumber).ToArray(), NpgsqlDbType.Text);
        Add(rows.Select(x => x.View.QueryCode).ToArray(), NpgsqlDbType.Text);
        Add(rows.Select(x => x.View.Status).ToArray(), NpgsqlDbType.Text);
        Add(rows.Select(x => x.View.DepartmentCode).ToArray(), NpgsqlDbType.Text);
        Add(rows.Select(x => x.View.WindowCode).ToArray(), NpgsqlDbType.Text);
        Add(rows.Select(x => x.View.MatterCode).ToArray(), NpgsqlDbType.Text);
        Add(rows.Select(x => x.View.ReceivedDate).ToArray(), NpgsqlDbType.Date);
        Add(rows.Select(x => x.View.SubmittedBy).ToArray(), NpgsqlDbType.Text);
        Add(rows.Select(x => x.View.AgentStaffId).ToArray(), NpgsqlDbType.Text);
        Add(rows.Select(x => string.Join(' ', x.View.StaffIds)).ToArray(), NpgsqlDbType.Text);
        Add(rows.Select(x => context.Serializer.Serialize(x.View)).ToArray(), NpgsqlDbType.Jsonb);
        Add(rows.Select(x => x.LastSeq).ToArray(), NpgsqlDbType.Bigint);
        await write.ExecuteNonQueryAsync(ct);
    }
}
