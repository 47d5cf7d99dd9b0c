using GovEvents.Store.TamperEvidence;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using Weasel.Core;
using Weasel.Core.Migrations;
using Wolverine.Persistence.Durability;

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
        await using var store = OwnerStore();
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
            await using var store = OwnerStore();
            var migration = await store.Storage.Database.CreateMigrationAsync(ct);
            var changed = migration.Difference != SchemaPatchDifference.None;
            if (changed) await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            if (!string.IsNullOrWhiteSpace(s.ApplicationRole))
            {
                await GrantAsync(conn, s.Schema, s.ApplicationRole, ct);
                await GrantAsync(conn, MartenSetup.MessageSchema(s.Schema), s.ApplicationRole, ct);
            }
            return changed;
        }
        finally
        {
            await Exec(conn, "select pg_advisory_unlock(hashtextextended($1, 0))", CancellationToken.None, LockKey);
        }
    }

    /// <summary>The application's store on the owner's connection, with Wolverine's message storage as one more feature.</summary>
    private DocumentStore OwnerStore()
    {
        var options = MartenSetup.Options(services, Settings.OwnerConnectionString);
        if (services.GetService<IMessageStore>() is IFeatureSchema messages) options.Storage.Add(messages);
        return new DocumentStore(options);
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
    /// The application role reads, writes and (to rebuild) truncates the documents, the daemon's progress and the API's own
    /// tables; what it may do with the events, streams and hashes is the tamper evidence's to grant
    /// (read and append only), so those are left alone here.
    /// </summary>
    private static async Task GrantAsync(NpgsqlConnection conn, string schema, string role, CancellationToken ct)
    {
        await Exec(conn, $$"""
            GRANT USAGE ON SCHEMA {{schema}} TO {{role}};
            DO $grants$
            DECLARE o record;
            BEGIN
                FOR o IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                          WHERE n.nspname = '{{schema}}' AND c.relkind IN ('r', 'S')
                            AND c.relname NOT IN ('mt_events', 'mt_streams', 'mt_events_sequence', '{{TamperEvidenceSchema.HashTable}}') LOOP
                    IF o.relkind = 'r' THEN
                        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLE %I.%I TO %I', '{{schema}}', o.relname, '{{role}}');
                    ELSE
                        EXECUTE format('GRANT USAGE, SELECT, UPDATE ON SEQUENCE %I.%I TO %I', '{{schema}}', o.relname, '{{role}}');
                    END IF;
                END LOOP;
            END
            $grants$;
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
