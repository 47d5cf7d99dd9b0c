using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using Weasel.Core;

namespace GovEvents.Api.Hosting.Database;

/// <summary>
/// Brings the schema to what this build's Marten configuration describes (documents, events,
/// tamper evidence, the API's tables), on the owner connection under an advisory lock, so that
/// instances starting together do it one at a time; then grants the application role what it may do.
/// A schema left by GovEvents' earlier event store (before Marten) is refused with a clear message.
/// </summary>
public sealed class DatabaseMigrator(IServiceProvider services, IOptions<GovEventsSettings> settings)
{
    private GovEventsSettings Settings => settings.Value;

    /// <summary>True when the schema differs from what the configuration describes.</summary>
    public async Task<bool> PendingAsync(CancellationToken ct = default)
    {
        await using var store = new DocumentStore(MartenSetup.Options(services, Settings.OwnerConnectionString));
        var migration = await store.Storage.Database.CreateMigrationAsync(ct);
        return migration.Difference != SchemaPatchDifference.None;
    }

    /// <summary>Migrates; returns whether anything changed.</summary>
    public async Task<bool> MigrateAsync(CancellationToken ct = default)
    {
        var s = Settings;
        await using var conn = new NpgsqlConnection(s.OwnerConnectionString);
        await conn.OpenAsync(ct);
        await Exec(conn, "select pg_advisory_lock(hashtextextended($1, 0))", ct, LockKey);
        try
        {
            await RefuseEarlierStoreAsync(conn, ct);
            await using var store = new DocumentStore(MartenSetup.Options(services, s.OwnerConnectionString));
            var migration = await store.Storage.Database.CreateMigrationAsync(ct);
            var changed = migration.Difference != SchemaPatchDifference.None;
            if (changed) await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            if (!string.IsNullOrWhiteSpace(s.ApplicationRole)) await GrantAsync(conn, s.Schema, s.ApplicationRole, ct);
            return changed;
        }
        finally
        {
            await Exec(conn, "select pg_advisory_unlock(hashtextextended($1, 0))", CancellationToken.None, LockKey);
        }
    }

    private async Task RefuseEarlierStoreAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select to_regclass($1) is not null", conn);
        cmd.Parameters.AddWithValue($"{Settings.Schema}.schema_migrations");
        if ((bool)(await cmd.ExecuteScalarAsync(ct))!)
            throw new InvalidOperationException(
                $"Schema '{Settings.Schema}' holds the events of GovEvents' earlier event store (table schema_migrations), which this version " +
                "(on Marten) does not read. Point GovEvents:Schema at a new schema (or a new database) and re-enter the data, or keep running the earlier version.");
    }

    /// <summary>
    /// The application role reads and writes documents and its own tables, and may only read and
    /// append events (the triggers of the tamper evidence refuse the rest to everyone).
    /// </summary>
    private static async Task GrantAsync(NpgsqlConnection conn, string schema, string role, CancellationToken ct)
    {
        await Exec(conn, $"""
            grant usage on schema {schema} to {role};
            grant select, insert, update, delete on all tables in schema {schema} to {role};
            revoke update, delete, truncate on {schema}.mt_events from {role};
            grant usage, select, update on all sequences in schema {schema} to {role};
            grant execute on all functions in schema {schema} to {role};
            """, ct);
    }

    private string LockKey => $"govevents-migrations:{Settings.Schema}";

    private static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct, params object[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var a in args) cmd.Parameters.AddWithValue(a);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
