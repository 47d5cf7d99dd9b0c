using System.Reflection;
using Npgsql;

namespace GovEvents.EventStore;

/// <summary>A versioned, idempotent SQL migration; {schema} in its text is the configured schema.</summary>
public sealed record Migration(int Version, string Name, string Sql);

/// <summary>
/// Applies the store's migrations (and any the application adds) in version order, each in its
/// own transaction with its version recorded, under an advisory lock so that two instances
/// starting together apply each migration once. Runs on an owner connection; when an application
/// role is configured it is granted only what it needs (INSERT and SELECT on events).
/// </summary>
public sealed class SchemaMigrator(EventStoreOptions options, string ownerConnectionString, IEnumerable<Migration>? extra = null)
{
    private readonly IReadOnlyList<Migration> _migrations = Builtin().Concat(extra ?? []).OrderBy(m => m.Version).ToList();

    public IReadOnlyList<Migration> Migrations => _migrations;

    public int LatestVersion => _migrations.Max(m => m.Version);

    public static IEnumerable<Migration> Builtin() => FromResources(typeof(SchemaMigrator).Assembly);

    /// <summary>Reads embedded resources named like "NNNN_name.sql" from an assembly.</summary>
    public static IEnumerable<Migration> FromResources(Assembly assembly)
    {
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var file = resource.Split('.')[^2];
            var underscore = file.IndexOf('_');
            if (underscore <= 0 || !int.TryParse(file[..underscore], out var version)) continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return new Migration(version, file[(underscore + 1)..], reader.ReadToEnd());
        }
    }

    /// <summary>Applies what is missing; returns the versions applied by this call.</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken ct = default)
    {
        options.Validate();
        var schema = options.Schema;
        var duplicate = _migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"Two migrations share version {duplicate.Key}.");

        await using var conn = new NpgsqlConnection(ownerConnectionString);
        await conn.OpenAsync(ct);
        await Exec(conn, "select pg_advisory_lock(hashtextextended($1, 0))", ct, LockKey);
        try
        {
            await Exec(conn, $"create schema if not exists {schema}", ct);
            await Exec(conn, $"""
                create table if not exists {schema}.schema_migrations (
                    version integer primary key, name text not null, applied_at timestamptz not null default now())
                """, ct);
            var applied = new HashSet<int>();
            await using (var cmd = new NpgsqlCommand($"select version from {schema}.schema_migrations", conn))
            await using (var r = await cmd.ExecuteReaderAsync(ct))
                while (await r.ReadAsync(ct)) applied.Add(r.GetInt32(0));

            var done = new List<int>();
            foreach (var m in _migrations.Where(m => !applied.Contains(m.Version)))
            {
                await using var tx = await conn.BeginTransactionAsync(ct);
                await using (var cmd = new NpgsqlCommand(m.Sql.Replace("{schema}", schema), conn, tx))
                    await cmd.ExecuteNonQueryAsync(ct);
                await using (var cmd = new NpgsqlCommand($"insert into {schema}.schema_migrations (version, name) values ($1, $2)", conn, tx))
                {
                    cmd.Parameters.AddWithValue(m.Version);
                    cmd.Parameters.AddWithValue(m.Name);
                    await cmd.ExecuteNonQueryAsync(ct);
                }
                await tx.CommitAsync(ct);
                done.Add(m.Version);
            }
            if (options.ApplicationRole is { } role) await GrantAsync(conn, schema, role, ct);
            return done;
        }
        finally
        {
            await Exec(conn, "select pg_advisory_unlock(hashtextextended($1, 0))", CancellationToken.None, LockKey);
        }
    }

    private string LockKey => $"govevents-migrations:{options.Schema}";

    /// <summary>The highest applied version, or 0 before the first migration.</summary>
    public static async Task<int> CurrentVersionAsync(NpgsqlDataSource dataSource, string schema, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand($"select coalesce(max(version), 0) from {schema}.schema_migrations");
        try { return Convert.ToInt32(await cmd.ExecuteScalarAsync(ct)); }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName) { return 0; }
    }

    private static async Task GrantAsync(NpgsqlConnection conn, string schema, string role, CancellationToken ct)
    {
        // The role may create its own projection tables, append and read history, and nothing more
        // on the events table: no UPDATE, DELETE or TRUNCATE (the triggers refuse them as well).
        await Exec(conn, $"""
            grant usage, create on schema {schema} to {role};
            revoke all on {schema}.events from {role};
            grant select, insert on {schema}.events to {role};
            grant select, insert, update on {schema}.streams to {role};
            grant select on {schema}.schema_migrations to {role};
            grant select, insert, update, delete on {schema}.projection_progress, {schema}.dead_letters,
                {schema}.timers, {schema}.timer_log to {role};
            grant usage on all sequences in schema {schema} to {role};
            grant execute on all functions in schema {schema} to {role};
            """, ct);
    }

    private static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct, params object[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var a in args) cmd.Parameters.AddWithValue(a);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
