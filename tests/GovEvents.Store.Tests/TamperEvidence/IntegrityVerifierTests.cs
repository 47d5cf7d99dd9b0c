using GovEvents.Store.TamperEvidence;
using Marten;
using Npgsql;
using Shouldly;

namespace GovEvents.Store.Tests.TamperEvidence;

/// <summary>Builds verifiers over a fixture's database, as the owner or as the application role.</summary>
internal sealed class IntegrityVerifierFor(StoreFixture db)
{
    public Task<IntegrityReport> OwnerAsync() => VerifyAsync(db.ConnectionString);

    public Task<IntegrityReport> AppAsync() => VerifyAsync(db.AppConnectionString);

    private static async Task<IntegrityReport> VerifyAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        return await new IntegrityVerifier(dataSource, StoreFixture.Schema).VerifyAsync();
    }

    public static async Task<string> SeedAsync(StoreFixture db)
    {
        var id = "case-" + Guid.NewGuid().ToString("N");
        var at = db.Time.GetUtcNow();
        await using var session = db.Store.LightweightSession();
        session.Events.StartStream(id, new CaseFiled(id, "t", at), new CaseNoteAdded(id, "a", 10m, at), new CaseNoteAdded(id, "b", 20m, at));
        await session.SaveChangesAsync();
        return id;
    }

    public static async Task<IReadOnlyList<JasperFx.Events.IEvent>> EventsAsync(StoreFixture db, string id)
    {
        await using var session = db.Store.QuerySession();
        return await session.Events.FetchStreamAsync(id);
    }

    /// <summary>What a superuser can do: switch the triggers off for the session and edit history.</summary>
    public static async Task TamperAsync(StoreFixture db, string sql)
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using var cmd = new NpgsqlCommand($"set local session_replication_role = replica; {sql}", conn, tx);
        await cmd.ExecuteNonQueryAsync();
        await tx.CommitAsync();
    }
}

public sealed class IntegrityVerifierTests(StoreFixture db) : Xunit.IClassFixture<StoreFixture>
{
    [Fact]
    public async Task Verifier_reports_the_event_a_superuser_edited_with_the_triggers_off()
    {
        await IntegrityVerifierFor.SeedAsync(db);
        var id = await IntegrityVerifierFor.SeedAsync(db);
        await IntegrityVerifierFor.SeedAsync(db);
        (await new IntegrityVerifierFor(db).OwnerAsync()).Ok.ShouldBeTrue();
        var tampered = (await IntegrityVerifierFor.EventsAsync(db, id))[1];

        await IntegrityVerifierFor.TamperAsync(db,
            $"update {StoreFixture.Schema}.mt_events set data = jsonb_set(data, '{{fee}}', '1000') where seq_id = {tampered.Sequence}");

        var report = await new IntegrityVerifierFor(db).OwnerAsync();
        report.Ok.ShouldBeFalse();
        report.FirstBrokenSequence.ShouldBe(tampered.Sequence);
        report.FirstBrokenStream.ShouldBe(id);
        report.FirstBrokenVersion.ShouldBe(2);
        report.Reason.ShouldBe("hash does not match the event's content");
        report.VerifiedEvents.ShouldBe(9);
    }
}

/// <summary>Its own database: each tampering must not leak into the other verifier tests.</summary>
public sealed class IntegrityVerifierDeletionTests(StoreFixture db) : Xunit.IClassFixture<StoreFixture>
{
    [Fact]
    public async Task Verifier_reports_an_event_deleted_from_the_middle_of_a_stream_with_its_hash()
    {
        var id = await IntegrityVerifierFor.SeedAsync(db);
        var events = await IntegrityVerifierFor.EventsAsync(db, id);

        await IntegrityVerifierFor.TamperAsync(db, $"""
            delete from {StoreFixture.Schema}.mt_events where seq_id = {events[1].Sequence};
            delete from {StoreFixture.Schema}.ge_event_hashes where seq_id = {events[1].Sequence};
            """);

        var report = await new IntegrityVerifierFor(db).OwnerAsync();
        report.Ok.ShouldBeFalse();
        report.FirstBrokenSequence.ShouldBe(events[2].Sequence);
        report.Reason.ShouldBe("version 2 is missing");
    }
}

public sealed class IntegrityVerifierRehashTests(StoreFixture db) : Xunit.IClassFixture<StoreFixture>
{
    [Fact]
    public async Task Verifier_reports_the_next_event_when_a_superuser_rewrites_an_edited_events_hash()
    {
        var id = await IntegrityVerifierFor.SeedAsync(db);
        var events = await IntegrityVerifierFor.EventsAsync(db, id);
        const string s = StoreFixture.Schema;

        await IntegrityVerifierFor.TamperAsync(db, $$"""
            update {{s}}.mt_events set data = jsonb_set(data, '{fee}', '1000') where seq_id = {{events[1].Sequence}};
            update {{s}}.ge_event_hashes h set hash = {{s}}.ge_event_hash(p.hash, e.stream_id, e.version, e.type, e.data, e.correlation_id, e.causation_id, e.headers, e."timestamp")
              from {{s}}.mt_events e, {{s}}.ge_event_hashes p
             where e.seq_id = h.seq_id and h.seq_id = {{events[1].Sequence}} and p.seq_id = {{events[0].Sequence}};
            """);

        var report = await new IntegrityVerifierFor(db).OwnerAsync();
        report.FirstBrokenSequence.ShouldBe(events[2].Sequence);
        report.FirstBrokenVersion.ShouldBe(3);
    }
}
