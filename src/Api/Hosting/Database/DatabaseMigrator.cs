using GovEvents.EventStore;
using Npgsql;

namespace GovEvents.Api.Hosting.Database;

/// <summary>
/// Brings the schema to the latest version: the event store's migrations plus the API's own
/// (embedded Migrations/*.sql), then grants the application role the API's tables. Runs on the
/// owner connection under an advisory lock, so instances starting together do it one at a time
/// (concurrent GRANTs on one table can fail in PostgreSQL).
/// </summary>
public sealed class DatabaseMigrator(EventStoreOptions options, string ownerConnectionString)
{
    private readonly SchemaMigrator _migrator = new(options, ownerConnectionString, ApiMigrations());

    /// <summary>Tables of the API's migrations (created by the owner) that the application role reads and writes.</summary>
    public static readonly IReadOnlyList<string> ApplicationTables = ["idempotency_keys"];

    public static IEnumerable<Migration> ApiMigrations() => SchemaMigrator.FromResources(typeof(DatabaseMigrator).Assembly);

    public int LatestVersion => _migrator.LatestVersion;

    /// <summary>Returns the versions this call applied (none when the schema was current).</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken ct = default)
    {
        await using var conn = new NpgsqlConnection(ownerConnectionString);
        await conn.OpenAsync(ct);
        await Exec(conn, "select pg_advisory_lock(hashtextextended($1, 0))", ct, LockKey);
        try
        {
            var applied = await _migrator.MigrateAsync(ct);
            if (options.ApplicationRole is { } role)
                foreach (var table in ApplicationTables)
                    await Exec(conn, $"grant select, insert, update, delete on {options.Schema}.{table} to {role}", ct);
            return applied;
        }
        finally
        {
            await Exec(conn, "select pg_advisory_unlock(hashtextextended($1, 0))", CancellationToken.None, LockKey);
        }
    }

    private string LockKey => $"govevents-api-migrations:{options.Schema}";

    private static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct, params object[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var a in args) cmd.Parameters.AddWithValue(a);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
