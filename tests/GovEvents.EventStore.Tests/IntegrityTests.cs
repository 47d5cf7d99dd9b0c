using Npgsql;
using Shouldly;

namespace GovEvents.EventStore.Tests;

public sealed class IntegrityTests(StoreFixture db) : IClassFixture<StoreFixture>
{
    private Task<string> SeedAsync() => SeedAsync(db);

    internal static async Task<string> SeedAsync(StoreFixture db)
    {
        var id = "acc-" + Guid.NewGuid().ToString("N");
        var now = db.Time.GetUtcNow();
        await db.Store.StartStreamAsync(id, "account", [new AccountOpened(id, "Li", now), new MoneyDeposited(id, 10, now), new MoneyDeposited(id, 20, now)]);
        return id;
    }

    [Theory]
    [InlineData("update {0}.events set data = data where true")]
    [InlineData("delete from {0}.events")]
    [InlineData("truncate {0}.events cascade")]
    public async Task The_application_role_cannot_change_or_remove_events(string sql)
    {
        await SeedAsync();
        await using var conn = new NpgsqlConnection(db.AppConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(string.Format(sql, db.Options.Schema), conn);
        var ex = await Should.ThrowAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
        ex.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
    }

    [Fact]
    public async Task Even_a_superuser_is_refused_by_the_triggers()
    {
        var id = await SeedAsync();
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var update = new NpgsqlCommand($"update {db.Options.Schema}.events set data = '{{}}' where stream_id = $1", conn);
        update.Parameters.AddWithValue(id);
        (await Should.ThrowAsync<PostgresException>(() => update.ExecuteNonQueryAsync())).SqlState.ShouldBe("GE403");
        await using var delete = new NpgsqlCommand($"delete from {db.Options.Schema}.events where stream_id = $1", conn);
        delete.Parameters.AddWithValue(id);
        (await Should.ThrowAsync<PostgresException>(() => delete.ExecuteNonQueryAsync())).SqlState.ShouldBe("GE403");
    }

    [Fact]
    public async Task Verifier_reports_the_first_event_altered_by_a_superuser_bypassing_the_triggers()
    {
        await SeedAsync();
        var id = await SeedAsync();
        var before = await new IntegrityVerifier(db.Store.DataSource, db.Options.Schema).VerifyAsync();
        before.Ok.ShouldBeTrue();

        var tampered = (await db.Store.FetchStreamAsync(id))[1];
        await using (var conn = new NpgsqlConnection(db.ConnectionString))
        {
            await conn.OpenAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await using var cmd = new NpgsqlCommand($$"""
                set local session_replication_role = replica;
                update {{db.Options.Schema}}.events set data = jsonb_set(data, '{amount}', '1000') where seq = {{tampered.Sequence}};
                """, conn, tx);
            await cmd.ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }

        var report = await new IntegrityVerifier(db.Store.DataSource, db.Options.Schema).VerifyAsync();
        report.Ok.ShouldBeFalse();
        report.FirstBrokenSequence.ShouldBe(tampered.Sequence);
        report.FirstBrokenStream.ShouldBe(id);
        report.VerifiedEvents.ShouldBeGreaterThanOrEqualTo(6);
    }

    [Fact]
    public async Task Each_hash_chains_onto_the_previous_one()
    {
        var id = await SeedAsync();
        var events = await db.Store.FetchStreamAsync(id);
        events.Select(e => Convert.ToHexString(e.Hash)).Distinct().Count().ShouldBe(3);
        events.ShouldAllBe(e => e.Hash.Length == 32);
    }
}

/// <summary>Migration 0007 rewrote event_hash: every hash written under 0001's definition must still verify.</summary>
public sealed class EventHashFormTests(StoreFixture db) : IClassFixture<StoreFixture>
{
    // 0001's canonical form: the jsonb array of the fields, printed.
    private const string Original = """
        sha256(coalesce($1, ''::bytea) || convert_to(
            jsonb_build_array($2::text, $3::integer, $4::text, $5::jsonb, $6::jsonb,
                              floor(extract(epoch from $7::timestamptz) * 1000000)::bigint)::text, 'UTF8'))
        """;

    [Theory]
    [InlineData("acc-1", 1, "account_opened", """{"name": "Li", "amount": 10.50}""", """{"actorId": "u"}""", "2026-03-02T09:00:00.123456+08:00")]
    [InlineData("case \"quoted\" \\ back\tslash", 2147483647, "type\u0001ctl", """{"a": [1, 2.0, -3e5, null, true, false, {}], "b": {"c": [], "d": "\u00e9\n\""}}""", "{}", "1969-12-31T23:59:59.999999Z")]
    [InlineData("办件-2026-0001", 7, "申请已提交", """{"申请人": "越秀区餐饮有限公司", "材料": ["营业执照", "身份证明"], "emoji": "\ud83d\ude00"}""", """{"role": "窗口"}""", "2026-10-01T00:00:00Z")]
    [InlineData("", 0, "", "[]", "null", "0001-01-01T00:00:00Z")]
    public async Task The_concatenated_canonical_form_hashes_exactly_as_the_jsonb_array_did(
        string stream, int version, string type, string data, string metadata, string timestamp)
    {
        await using var cmd = db.Store.DataSource.CreateCommand($"""
            select {Original}, {db.Options.Schema}.event_hash($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::timestamptz)
            """);
        var prev = System.Security.Cryptography.SHA256.HashData("previous"u8);
        foreach (var value in new object[] { prev, stream, version, type, data, metadata, timestamp })
            cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        await using var reader = await cmd.ExecuteReaderAsync();
        (await reader.ReadAsync()).ShouldBeTrue();
        var original = reader.GetFieldValue<byte[]>(0);
        original.Length.ShouldBe(32);
        reader.GetFieldValue<byte[]>(1).ShouldBe(original);
    }
}

/// <summary>Its own database: tampering here must not leak into the other verifier test.</summary>
public sealed class IntegrityDeletionTests(StoreFixture db) : IClassFixture<StoreFixture>
{
    [Fact]
    public async Task Verifier_reports_an_event_deleted_from_the_middle_of_a_stream()
    {
        var id = await IntegrityTests.SeedAsync(db);
        var events = await db.Store.FetchStreamAsync(id);
        await using (var conn = new NpgsqlConnection(db.ConnectionString))
        {
            await conn.OpenAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await using var cmd = new NpgsqlCommand($"""
                set local session_replication_role = replica;
                delete from {db.Options.Schema}.events where seq = {events[1].Sequence};
                """, conn, tx);
            await cmd.ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }

        var report = await new IntegrityVerifier(db.Store.DataSource, db.Options.Schema).VerifyAsync();
        report.Ok.ShouldBeFalse();
        report.FirstBrokenSequence.ShouldBe(events[2].Sequence);
    }
}
