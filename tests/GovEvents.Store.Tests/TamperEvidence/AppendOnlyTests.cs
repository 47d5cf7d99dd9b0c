using Marten;
using Npgsql;
using Shouldly;

namespace GovEvents.Store.Tests.TamperEvidence;

public sealed class AppendOnlyTests(StoreFixture db) : Xunit.IClassFixture<StoreFixture>
{
    private const string S = StoreFixture.Schema;

    private async Task<string> AppendAsApplicationAsync()
    {
        var id = "case-" + Guid.NewGuid().ToString("N");
        var at = db.Time.GetUtcNow();
        await using (var session = db.AppStore.LightweightSession())
        {
            session.Events.StartStream(id, new CaseFiled(id, "t", at));
            await session.SaveChangesAsync();
        }
        await using (var session = db.AppStore.LightweightSession())
        {
            session.Events.Append(id, 3, new CaseNoteAdded(id, "a", 1m, at), new CaseNoteAdded(id, "b", 2m, at));
            await session.SaveChangesAsync();
        }
        return id;
    }

    [Fact]
    public async Task The_application_role_appends_and_reads_through_Marten()
    {
        var id = await AppendAsApplicationAsync();

        await using var session = db.AppStore.QuerySession();
        (await session.Events.FetchStreamAsync(id)).Select(e => e.Version).ShouldBe([1L, 2L, 3L]);
        (await new IntegrityVerifierFor(db).AppAsync()).Ok.ShouldBeTrue();
    }

    [Theory]
    [InlineData("update {0}.mt_events set data = data where true")]
    [InlineData("delete from {0}.mt_events where true")]
    [InlineData("truncate {0}.mt_events")]
    [InlineData("insert into {0}.ge_event_hashes (seq_id, hash) values (-1, '\\x00')")]
    [InlineData("update {0}.ge_event_hashes set hash = hash where true")]
    [InlineData("delete from {0}.ge_event_hashes where true")]
    [InlineData("truncate {0}.ge_event_hashes")]
    public async Task The_application_role_cannot_change_events_or_write_hashes(string sql)
    {
        await AppendAsApplicationAsync();
        await using var conn = new NpgsqlConnection(db.AppConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(string.Format(sql, S), conn);

        var ex = await Should.ThrowAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());

        ex.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
    }

    [Theory]
    [InlineData("update {0}.mt_events set data = data where true")]
    [InlineData("delete from {0}.mt_events where true")]
    [InlineData("truncate {0}.mt_events cascade")]
    [InlineData("update {0}.ge_event_hashes set hash = hash where true")]
    [InlineData("delete from {0}.ge_event_hashes where true")]
    [InlineData("truncate {0}.ge_event_hashes")]
    public async Task Even_the_owner_is_refused_by_the_triggers(string sql)
    {
        await AppendAsApplicationAsync();
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(string.Format(sql, S), conn);

        var ex = await Should.ThrowAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());

        ex.SqlState.ShouldBe("GE403");
    }
}
