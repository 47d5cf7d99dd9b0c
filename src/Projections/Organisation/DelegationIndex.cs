using GovEvents.Domain.Organisation;
using GovEvents.EventStore;
using Npgsql;
using NpgsqlTypes;

namespace GovEvents.Projections.Organisation;

/// <summary>
/// Inline index of delegations by staff member: a signature must see a delegation the moment it
/// is granted or revoked, so this runs in the appending transaction.
/// </summary>
public sealed class DelegationIndex : IProjection
{
    public const string TableName = "delegation_index";

    public string Name => TableName;

    public IReadOnlyList<ProjectionTable> Tables { get; } =
    [
        new(TableName, """
            create table if not exists {table} (
                id text primary key,
                staff_id text not null,
                department_code text not null,
                data jsonb not null,
                revoked_at timestamptz,
                last_seq bigint not null
            );
            create index on {table} (staff_id);
            """),
    ];

    public async Task ApplyAsync(IReadOnlyList<StoredEvent> events, ProjectionContext context, CancellationToken ct)
    {
        var table = context.Table(TableName);
        foreach (var e in events)
        {
            switch (e.Data)
            {
                case DelegationGranted g:
                    await using (var cmd = context.Command($"""
                        insert into {table} (id, staff_id, department_code, data, last_seq) values ($1, $2, $3, $4, $5)
                        on conflict (id) do update set staff_id = excluded.staff_id, department_code = excluded.department_code,
                            data = excluded.data, last_seq = excluded.last_seq
                        where {table}.last_seq < excluded.last_seq
                        """))
                    {
                        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = g.DelegationId });
                        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = g.StaffId });
                        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = g.DepartmentCode });
                        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = context.Serializer.Serialize(g), NpgsqlDbType = NpgsqlDbType.Jsonb });
                        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = e.Sequence });
                        await cmd.ExecuteNonQueryAsync(ct);
                    }
                    break;
                case DelegationRevoked r:
                    await using (var cmd = context.Command($"update {table} set revoked_at = $2, last_seq = $3 where id = $1 and last_seq < $3"))
                    {
                        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = r.DelegationId });
                        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = r.RevokedAt.ToUniversalTime() });
                        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = e.Sequence });
                        await cmd.ExecuteNonQueryAsync(ct);
                    }
                    break;
            }
        }
    }

    /// <summary>Every delegation ever granted to a staff member, with its revocation if any.</summary>
    public static async Task<IReadOnlyList<Delegation>> ForStaffAsync(NpgsqlDataSource ds, string schema, EventSerializer serializer, string staffId, CancellationToken ct)
    {
        await using var cmd = ds.CreateCommand($"select data, revoked_at from {schema}.{TableName} where staff_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = staffId });
        var list = new List<Delegation>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new Delegation(serializer.Deserialize<DelegationGranted>(r.GetString(0)),
                r.IsDBNull(1) ? null : r.GetFieldValue<DateTimeOffset>(1)));
        return list;
    }
}
