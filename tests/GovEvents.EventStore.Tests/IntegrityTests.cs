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
