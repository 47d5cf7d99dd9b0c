using GovEvents.Api.Tests.Infrastructure;
using GovEvents.Testing;
using Npgsql;
using Shouldly;

namespace GovEvents.Api.Tests;

/// <summary>
/// The application role on a database the API migrated, and how the cluster ./test.sh and ./run.sh start
/// (scripts/pg.sh) lets roles in: with a password over loopback, never on trust.
/// </summary>
public sealed class ApplicationRoleTests(ApiHost api) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task After_migration_the_application_role_may_create_in_no_schema()
    {
        await using var admin = new NpgsqlConnection(api.Database.ConnectionString);
        await admin.OpenAsync();
        await using (var cmd = new NpgsqlCommand("""
            select string_agg(n.nspname, ', ' order by n.nspname) filter (where has_schema_privilege($1, n.oid, 'CREATE')),
                   count(*) filter (where n.nspname in ('govevents', 'govevents_messages'))
              from pg_namespace n where n.nspname not like 'pg\_%temp\_%'
            """, admin))
        {
            cmd.Parameters.AddWithValue(api.AppRole);
            await using var r = await cmd.ExecuteReaderAsync();
            await r.ReadAsync();
            r.IsDBNull(0).ShouldBeTrue(r.IsDBNull(0) ? null : $"CREATE on {r.GetString(0)}");
            r.GetInt64(1).ShouldBe(2L);
        }

        await using var app = new NpgsqlConnection(api.AppConnectionString);
        await app.OpenAsync();
        foreach (var schema in new[] { "govevents", "govevents_messages", "public" })
        {
            await using var create = new NpgsqlCommand($"create table {schema}.ge_probe (x int)", app);
            (await Should.ThrowAsync<PostgresException>(() => create.ExecuteNonQueryAsync()))
                .SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege, schema);
        }
    }

    [Fact]
    public async Task The_application_role_logs_in_with_its_password_and_without_it_is_refused()
    {
        var right = new NpgsqlConnectionStringBuilder(api.AppConnectionString) { Pooling = false };
        right.Password.ShouldNotBeNullOrEmpty();

        await using (var conn = new NpgsqlConnection(right.ConnectionString))
            await conn.OpenAsync();

        await using (var none = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(right.ConnectionString) { Password = null }.ConnectionString))
            await Should.ThrowAsync<NpgsqlException>(() => none.OpenAsync());

        await using var wrong = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(right.ConnectionString) { Password = right.Password + "x" }.ConnectionString);
        (await Should.ThrowAsync<PostgresException>(() => wrong.OpenAsync())).SqlState.ShouldBe(PostgresErrorCodes.InvalidPassword);
    }

    /// <summary>The superuser of the cluster ./test.sh started, without its password over loopback.</summary>
    [Fact]
    public async Task The_superuser_without_its_password_is_refused_too()
    {
        var admin = new NpgsqlConnectionStringBuilder(TestDatabase.AdminConnectionString) { Pooling = false, Password = null };

        await using var conn = new NpgsqlConnection(admin.ConnectionString);

        await Should.ThrowAsync<NpgsqlException>(() => conn.OpenAsync());
    }

    [Fact]
    public async Task The_cluster_listens_on_loopback_and_asks_every_role_for_a_password()
    {
        await using var conn = new NpgsqlConnection(api.Database.ConnectionString);
        await conn.OpenAsync();
        await using (var listen = new NpgsqlCommand("show listen_addresses", conn))
            (await listen.ExecuteScalarAsync()).ShouldBe("127.0.0.1");
        await using var cmd = new NpgsqlCommand("""
            select type || ' ' || array_to_string(user_name, ',') || ' ' || coalesce(address || '/' || netmask, '') || ' ' || auth_method
              from pg_hba_file_rules where error is null order by line_number
            """, conn);
        var rules = new List<string>();
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) rules.Add(r.GetString(0));

        rules.ShouldBe(["local postgres  peer", "host all 127.0.0.1/255.255.255.255 scram-sha-256"]);
    }
}
