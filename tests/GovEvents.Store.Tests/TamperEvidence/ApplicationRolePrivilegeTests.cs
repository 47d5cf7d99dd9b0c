using Npgsql;
using Shouldly;

namespace GovEvents.Store.Tests.TamperEvidence;

/// <summary>
/// What the application role can do to the event tables outside Marten's append path: create nothing, move no
/// stream row but forward with its events, and insert no event off its chain. Marten's Rich append inserts into
/// mt_events itself, so the role keeps INSERT there; these show that a direct INSERT is still hashed onto the chain
/// and that one off it is refused.
/// </summary>
public sealed class ApplicationRolePrivilegeTests(StoreFixture db) : Xunit.IClassFixture<StoreFixture>
{
    private const string S = StoreFixture.Schema;

    private const string Forbidden = PostgresErrorCodes.InsufficientPrivilege;
    private const string RefusedByTrigger = "GE403";

    /// <summary>A stream of one event, appended by the application through Marten.</summary>
    private async Task<string> StreamAsync()
    {
        var id = "case-" + Guid.NewGuid().ToString("N");
        await using var session = db.AppStore.LightweightSession();
        session.Events.StartStream(id, new CaseFiled(id, "t", db.Time.GetUtcNow()));
        await session.SaveChangesAsync();
        return id;
    }

    /// <summary>Runs <paramref name="sql"/> ({0} the schema, {1} the stream, {2} a spare sequence number) in one committed transaction.</summary>
    private static async Task ExecAsync(string connectionString, string sql, string stream, long spare = 0)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var cmd = new NpgsqlCommand(string.Format(sql, S, stream, spare), conn, tx))
            await cmd.ExecuteNonQueryAsync();
        await tx.CommitAsync();
    }

    /// <summary>A sequence number issued and left unused, as a rolled-back append leaves one.</summary>
    private async Task<long> SpareSequenceNumberAsync()
    {
        await using var conn = new NpgsqlConnection(db.AppConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"select nextval('{S}.mt_events_sequence')", conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<long> StreamVersionAsync(string stream)
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"select version from {S}.mt_streams where id = $1", conn);
        cmd.Parameters.AddWithValue(stream);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    // An event row as the application could write it by hand: {2} its version, {3} its sequence number.
    private const string Event = "insert into {0}.mt_events (data, type, id, stream_id, version, timestamp, tenant_id, seq_id) "
        + "values ('{{}}', 'case_note_added', gen_random_uuid(), '{1}', {2}, now(), '*DEFAULT*', {3});";

    private static string EventAt(long version, string seq = "nextval('{0}.mt_events_sequence')") =>
        Event.Replace("{2}", version.ToString()).Replace("{3}", seq);

    [Fact]
    public async Task The_application_role_may_create_nothing_in_any_schema()
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            select n.nspname from pg_namespace n
             where has_schema_privilege($1, n.oid, 'CREATE') and n.nspname not like 'pg\_%temp\_%'
            """, conn);
        cmd.Parameters.AddWithValue(db.AppRole);
        (await cmd.ExecuteScalarAsync()).ShouldBeNull();

        foreach (var schema in new[] { S, "public" })
        {
            var ex = await Should.ThrowAsync<PostgresException>(() => ExecAsync(db.AppConnectionString, $"create table {schema}.ge_probe (x int)", ""));
            ex.SqlState.ShouldBe(Forbidden, schema);
        }
    }

    [Theory]
    [InlineData("update {0}.mt_streams set version = version - 1 where id = '{1}'", RefusedByTrigger)]
    [InlineData("update {0}.mt_streams set version = 0 where id = '{1}'", RefusedByTrigger)]
    [InlineData("update {0}.mt_streams set version = version + 1 where id = '{1}'", RefusedByTrigger)]
    [InlineData("update {0}.mt_streams set type = 'forged' where id = '{1}'", Forbidden)]
    [InlineData("update {0}.mt_streams set tenant_id = 'other' where id = '{1}'", Forbidden)]
    [InlineData("update {0}.mt_streams set is_archived = true where id = '{1}'", Forbidden)]
    [InlineData("update {0}.mt_streams set \"timestamp\" = now() - interval '1 year' where id = '{1}'", Forbidden)]
    [InlineData("update {0}.mt_streams set id = id || '-moved' where id = '{1}'", Forbidden)]
    [InlineData("delete from {0}.mt_streams where id = '{1}'", Forbidden)]
    [InlineData("insert into {0}.mt_streams (id, version) values ('{1}-empty', 3)", RefusedByTrigger)]
    [InlineData("insert into {0}.mt_streams (id, version, is_archived) values ('{1}-archived', 0, true)", RefusedByTrigger)]
    public async Task The_application_role_moves_a_stream_row_only_forward_with_its_events(string sql, string refusal)
    {
        var stream = await StreamAsync();

        var ex = await Should.ThrowAsync<PostgresException>(() => ExecAsync(db.AppConnectionString, sql, stream));

        ex.SqlState.ShouldBe(refusal);
        (await StreamVersionAsync(stream)).ShouldBe(1);
        (await new IntegrityVerifierFor(db).AppAsync()).Ok.ShouldBeTrue();
    }

    [Theory]
    [InlineData("update {0}.mt_streams set version = version - 1 where id = '{1}'")]
    [InlineData("update {0}.mt_streams set type = 'forged' where id = '{1}'")]
    [InlineData("update {0}.mt_streams set is_archived = true where id = '{1}'")]
    [InlineData("update {0}.mt_streams set version = version + 1 where id = '{1}'")]
    public async Task Even_the_owner_moves_a_stream_row_only_forward_with_its_events(string sql)
    {
        var stream = await StreamAsync();

        var ex = await Should.ThrowAsync<PostgresException>(() => ExecAsync(db.ConnectionString, sql, stream));

        ex.SqlState.ShouldBe(RefusedByTrigger);
    }

    [Fact]
    public async Task An_event_the_application_role_inserts_directly_is_hashed_onto_its_chain_by_the_trigger()
    {
        var stream = await StreamAsync();

        await ExecAsync(db.AppConnectionString, "update {0}.mt_streams set version = 3 where id = '{1}' and version = 1;" + EventAt(2) + EventAt(3), stream);

        (await StreamVersionAsync(stream)).ShouldBe(3);
        var report = await new IntegrityVerifierFor(db).AppAsync();
        report.Ok.ShouldBeTrue(report.Reason);
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"""
            select count(h.hash) from {S}.mt_events e join {S}.ge_event_hashes h on h.seq_id = e.seq_id where e.stream_id = $1
            """, conn);
        cmd.Parameters.AddWithValue(stream);
        (await cmd.ExecuteScalarAsync()).ShouldBe(3L);
    }

    public static readonly TheoryData<string, string> OffTheChain = new()
    {
        // A version skipped: the event would start a chain of its own.
        { "skipped version", "update {0}.mt_streams set version = 3 where id = '{1}';" + EventAt(3) },
        // The stream row not advanced: its version would lag its events.
        { "stream not advanced", EventAt(2) },
        // Advanced further than the events appended.
        { "stream advanced past its events", "update {0}.mt_streams set version = 3 where id = '{1}';" + EventAt(2) },
        { "version 0", "update {0}.mt_streams set version = 2 where id = '{1}';" + EventAt(0) + EventAt(2) },
        // A sequence number the sequence never issued: ahead of every appender and of the daemon's high-water mark.
        { "sequence never issued", "update {0}.mt_streams set version = 2 where id = '{1}';" + EventAt(2, "(select last_value + 1000 from {0}.mt_events_sequence)") },
        { "sequence below 1", "update {0}.mt_streams set version = 2 where id = '{1}';" + EventAt(2, "-5") },
        // Issued, but before the stream's previous event: the stream's order and the global order would disagree.
        { "sequence before the previous event's", "update {0}.mt_streams set version = 2 where id = '{1}';"
            + EventAt(2, "{2}") },
        // Archived on arrival: Marten's reads would skip it.
        { "archived", "update {0}.mt_streams set version = 2 where id = '{1}';"
            + EventAt(2).Replace("tenant_id, seq_id)", "tenant_id, seq_id, is_archived)").Replace(");", ", true);") },
    };

    [Theory]
    [MemberData(nameof(OffTheChain))]
    public async Task An_event_the_application_role_inserts_off_its_chain_is_refused(string what, string sql)
    {
        var spare = await SpareSequenceNumberAsync();
        var stream = await StreamAsync();

        var ex = await Should.ThrowAsync<PostgresException>(() => ExecAsync(db.AppConnectionString, sql, stream, spare));

        ex.SqlState.ShouldBe(RefusedByTrigger, what);
        (await StreamVersionAsync(stream)).ShouldBe(1);
        (await new IntegrityVerifierFor(db).AppAsync()).Ok.ShouldBeTrue();
    }
}
