using Npgsql;

namespace GovEvents.EventStore;

/// <summary>DDL of a projection's tables: create live ones, build shadow copies and swap them in.</summary>
internal static class ProjectionTables
{
    /// <summary>Creates the live tables that do not exist yet; safe when several nodes start together.</summary>
    public static async Task EnsureLiveAsync(NpgsqlConnection conn, ProjectionNames names, CancellationToken ct)
    {
        if (names.Tables.Count == 0) return;
        await using var tx = await conn.BeginTransactionAsync(ct);
        await ProjectionStorage.XactLockAsync(conn, tx, names.DdlKey, ct);
        foreach (var table in names.Tables)
        {
            if (await ExistsAsync(conn, tx, names.Live(table.Name), ct)) continue;
            await ExecAsync(conn, tx, table.CreateSql.Replace("{table}", names.Live(table.Name), StringComparison.Ordinal), ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>Fresh, empty shadow tables (leftovers of an interrupted rebuild are dropped first).</summary>
    public static async Task CreateShadowAsync(NpgsqlConnection conn, ProjectionNames names, CancellationToken ct)
    {
        await using var tx = await conn.BeginTransactionAsync(ct);
        await ProjectionStorage.XactLockAsync(conn, tx, names.DdlKey, ct);
        foreach (var table in names.Tables)
        {
            await ExecAsync(conn, tx, $"drop table if exists {names.Shadow(table.Name)}", ct);
            await ExecAsync(conn, tx, table.CreateSql.Replace("{table}", names.Shadow(table.Name), StringComparison.Ordinal), ct);
        }
        await tx.CommitAsync(ct);
    }

    public static async Task DropShadowAsync(NpgsqlConnection conn, ProjectionNames names, CancellationToken ct)
    {
        await using var tx = await conn.BeginTransactionAsync(ct);
        await ProjectionStorage.XactLockAsync(conn, tx, names.DdlKey, ct);
        foreach (var table in names.Tables)
            await ExecAsync(conn, tx, $"drop table if exists {names.Shadow(table.Name)}", ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Inside the caller's transaction: drop each live table and rename its shadow in its place,
    /// with the shadow's indexes and owned sequences renamed too, so the next rebuild can reuse the names.
    /// </summary>
    public static async Task SwapAsync(NpgsqlConnection conn, NpgsqlTransaction tx, ProjectionNames names, CancellationToken ct)
    {
        await ProjectionStorage.XactLockAsync(conn, tx, names.DdlKey, ct);
        foreach (var table in names.Tables)
        {
            var shadowBare = names.ShadowBare(table.Name);
            await ExecAsync(conn, tx, $"drop table if exists {names.Live(table.Name)}", ct);
            await ExecAsync(conn, tx, $"alter table {names.Shadow(table.Name)} rename to {table.Name}", ct);

            var dependents = new List<(string Name, string Kind)>();
            await using (var cmd = new NpgsqlCommand("""
                select c.relname, 'index' from pg_index i join pg_class c on c.oid = i.indexrelid where i.indrelid = $1::regclass
                union all
                select c.relname, 'sequence' from pg_depend d join pg_class c on c.oid = d.objid
                 where d.refobjid = $1::regclass and d.classid = 'pg_class'::regclass and c.relkind = 'S'
                """, conn, tx))
            {
                cmd.Parameters.Add(ProjectionStorage.Text(names.Live(table.Name)));
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct)) dependents.Add((r.GetString(0), r.GetString(1)));
            }
            foreach (var (name, kind) in dependents.Where(d => d.Name.StartsWith(shadowBare, StringComparison.Ordinal)))
            {
                var renamed = table.Name + name[shadowBare.Length..];
                await ExecAsync(conn, tx, $"alter {kind} {names.Schema}.\"{name}\" rename to \"{renamed}\"", ct);
            }
        }
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string qualified, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select to_regclass($1) is not null", conn, tx);
        cmd.Parameters.Add(ProjectionStorage.Text(qualified));
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static async Task ExecAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
