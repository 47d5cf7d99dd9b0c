using JasperFx;
using Npgsql;
using Shouldly;
using Weasel.Core;

namespace GovEvents.Store.Tests.TamperEvidence;

public sealed class SchemaStartupTests(StoreFixture db) : Xunit.IClassFixture<StoreFixture>
{
    private const string S = StoreFixture.Schema;

    private static readonly string[] Triggers =
        ["mt_events.ge_events_append_only", "mt_events.ge_events_hash", "ge_event_hashes.ge_event_hashes_append_only",
         "mt_streams.ge_streams_advance_only", "mt_streams.ge_streams_match_events"];

    private async Task<List<string>> EnabledTriggersAsync()
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"""
            select c.relname || '.' || t.tgname from pg_trigger t join pg_class c on c.oid = t.tgrelid
             where c.relnamespace = '{S}'::regnamespace and not t.tgisinternal and t.tgenabled = 'O' order by 1
            """, conn);
        var names = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) names.Add(r.GetString(0));
        return names;
    }

    [Fact]
    public async Task A_second_start_finds_nothing_to_change_and_keeps_every_trigger()
    {
        await IntegrityVerifierFor.SeedAsync(db);

        using var second = db.Open(db.ConnectionString, AutoCreate.CreateOrUpdate);
        var migration = await second.Storage.Database.CreateMigrationAsync();
        migration.Deltas.Where(d => d.Difference != SchemaPatchDifference.None).Select(d => d.SchemaObject.Identifier.QualifiedName).ShouldBeEmpty();
        migration.Difference.ShouldBe(SchemaPatchDifference.None);
        await second.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        (await EnabledTriggersAsync()).ShouldBe(Triggers.Order(StringComparer.Ordinal), ignoreOrder: true);
        await IntegrityVerifierFor.SeedAsync(db);
        (await new IntegrityVerifierFor(db).OwnerAsync()).Ok.ShouldBeTrue();
    }

    [Fact]
    public async Task A_start_puts_back_a_trigger_disabled_by_hand()
    {
        await using (var conn = new NpgsqlConnection(db.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"alter table {S}.mt_events disable trigger ge_events_append_only", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        using var next = db.Open(db.ConnectionString, AutoCreate.CreateOrUpdate);
        await next.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        (await EnabledTriggersAsync()).ShouldBe(Triggers, ignoreOrder: true);
    }
}
