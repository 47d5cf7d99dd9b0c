using System.Net;
using GovEvents.Api.Hosting.Database;
using GovEvents.Api.Tests.Infrastructure;
using GovEvents.Testing;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Shouldly;

namespace GovEvents.Api.Tests;

/// <summary>Start-up migration, the `migrate` command and start-up refusals, each on a fresh database.</summary>
public sealed class MigrationTests
{
    /// <summary>The tables of the events, a document, and the API's own objects, as the configuration describes them.</summary>
    private static async Task<List<string>> SchemaObjectsAsync(TestDatabase db)
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            select unnest(array['mt_events', 'mt_streams', 'mt_doc_case_view', 'idempotency_keys', 'case_number_seq'])
             where true
            intersect
            select relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'govevents'
            """, conn);
        var names = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) names.Add(r.GetString(0));
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private static readonly string[] ExpectedObjects = ["case_number_seq", "idempotency_keys", "mt_doc_case_view", "mt_events", "mt_streams"];

    [Fact]
    public async Task Two_instances_migrating_one_empty_database_together_both_start()
    {
        await using var db = new TestDatabase();
        var role = ApiHost.CreateAppRole(db);
        await using var first = ApiHost.OnDatabase(db, role, s => s["GovEvents:Wolverine:Solo"] = "false");
        await using var second = ApiHost.OnDatabase(db, role, s => s["GovEvents:Wolverine:Solo"] = "false");

        await Task.WhenAll(Task.Run(first.StartAsync), Task.Run(second.StartAsync));

        (await first.CreateClient().GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await second.CreateClient().GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await SchemaObjectsAsync(db)).ShouldBe(ExpectedObjects);
    }

    [Fact]
    public async Task With_start_up_migration_off_the_api_refuses_to_start_until_the_migrate_command_has_run()
    {
        await using var db = new TestDatabase();
        var role = ApiHost.CreateAppRole(db);
        await using (var early = ApiHost.OnDatabase(db, role, s => s["GovEvents:MigrateOnStartup"] = "false"))
            (await Should.ThrowAsync<Exception>(early.StartAsync)).ToString().ShouldContain("migrate");

        await using var api = ApiHost.OnDatabase(db, role, s => s["GovEvents:MigrateOnStartup"] = "false");
        var config = new ConfigurationBuilder().AddInMemoryCollection(api.Settings).Build();
        var exit = await MigrateCommand.RunAsync(config, TextWriter.Null, TextWriter.Null);

        exit.ShouldBe(0);
        await api.StartAsync();
        (await api.CreateClient().GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_migrate_command_applies_every_migration_once_and_exits_0()
    {
        await using var db = new TestDatabase();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GovEvents:ConnectionString"] = db.ConnectionString,
        }).Build();
        var output = new StringWriter();

        var first = await MigrateCommand.RunAsync(config, output, TextWriter.Null);
        var again = await MigrateCommand.RunAsync(config, output, TextWriter.Null);

        first.ShouldBe(0);
        again.ShouldBe(0);
        (await SchemaObjectsAsync(db)).ShouldBe(ExpectedObjects);
        output.ToString().ShouldContain("is current");
    }

    [Fact]
    public async Task The_migrate_command_exits_1_when_the_database_cannot_be_reached()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GovEvents:ConnectionString"] = new NpgsqlConnectionStringBuilder(TestDatabase.AdminConnectionString)
            {
                Database = "ge_test_does_not_exist",
            }.ConnectionString,
        }).Build();
        var error = new StringWriter();

        var exit = await MigrateCommand.RunAsync(config, TextWriter.Null, error);

        exit.ShouldBe(1);
        error.ToString().ShouldContain("failed");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("too-short-key")]
    public async Task Outside_dev_mode_the_api_refuses_to_start_without_a_signing_key_of_32_bytes(string? key)
    {
        await using var db = new TestDatabase();
        var role = ApiHost.CreateAppRole(db);
        await using var api = ApiHost.OnDatabase(db, role, s =>
        {
            s["GovEvents:Dev:Enabled"] = "false";
            s["GovEvents:Jwt:SigningKey"] = key;
        });

        var refusal = await Should.ThrowAsync<Exception>(api.StartAsync);

        refusal.ToString().ShouldContain("SigningKey");
    }

    [Fact]
    public async Task A_schema_left_by_the_earlier_event_store_is_refused_with_a_clear_message()
    {
        await using var db = new TestDatabase();
        await using (var conn = new NpgsqlConnection(db.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("create schema govevents; create table govevents.schema_migrations (version int primary key)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GovEvents:ConnectionString"] = db.ConnectionString,
        }).Build();
        var error = new StringWriter();

        var exit = await MigrateCommand.RunAsync(config, TextWriter.Null, error);

        exit.ShouldBe(1);
        error.ToString().ShouldContain("earlier event store");
    }
}
