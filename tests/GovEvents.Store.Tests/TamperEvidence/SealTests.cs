using System.Security.Cryptography;
using GovEvents.Domain.Audit;
using GovEvents.Store.TamperEvidence;
using Npgsql;
using Shouldly;

namespace GovEvents.Store.Tests.TamperEvidence;

/// <summary>Seals made by the application role, and verifiers with and without the seal key.</summary>
internal static class Sealing
{
    public static readonly SealKeys Keys = new("k1", new Dictionary<string, byte[]> { ["k1"] = RandomNumberGenerator.GetBytes(32) });

    public static async Task<IReadOnlyList<HistorySealed>> SealAsync(StoreFixture db, SealKeys? keys = null)
    {
        await using var dataSource = NpgsqlDataSource.Create(db.AppConnectionString);
        return await new HistorySealer(new EventLog(db.AppStore, dataSource), dataSource, keys ?? Keys, db.Time).SealAsync(TimeSpan.Zero);
    }

    public static async Task<IntegrityReport> VerifyAsync(StoreFixture db, SealKeys? keys, IReadOnlyList<HistorySealed>? exported = null)
    {
        await using var dataSource = NpgsqlDataSource.Create(db.AppConnectionString);
        return await new IntegrityVerifier(dataSource, StoreFixture.Schema, keys, exported).VerifyAsync();
    }

    /// <summary>
    /// What a superuser can do without the seal key: edit an event with the triggers off, then recompute its
    /// stream's hashes from there on with the schema's own function, so that every chain verifies again.
    /// </summary>
    public static Task RewriteAndRehashAsync(StoreFixture db, string streamId, long sequence)
    {
        const string s = StoreFixture.Schema;
        return IntegrityVerifierFor.TamperAsync(db, $$"""
            update {{s}}.mt_events set data = jsonb_set(data, '{fee}', '1000') where seq_id = {{sequence}};
            do $rehash$
            declare
                e record;
                prev bytea;
            begin
                for e in select * from {{s}}.mt_events where stream_id = '{{streamId}}' order by version loop
                    update {{s}}.ge_event_hashes
                       set hash = {{s}}.ge_event_hash(prev, e.stream_id, e.version, e.type, e.data, e.correlation_id, e.causation_id, e.headers, e."timestamp")
                     where seq_id = e.seq_id
                    returning hash into prev;
                end loop;
            end
            $rehash$;
            """);
    }

    /// <summary>A stream's newest event deleted with its hash, and the stream's version set back to match.</summary>
    public static Task DeleteNewestAsync(StoreFixture db, string streamId, long sequence, int versionLeft)
    {
        const string s = StoreFixture.Schema;
        return IntegrityVerifierFor.TamperAsync(db, $"""
            delete from {s}.mt_events where seq_id = {sequence};
            delete from {s}.ge_event_hashes where seq_id = {sequence};
            update {s}.mt_streams set version = {versionLeft} where id = '{streamId}';
            """);
    }
}

public sealed class SealRewriteTests(StoreFixture db) : Xunit.IClassFixture<StoreFixture>
{
    [Fact]
    public async Task A_stream_a_superuser_rewrote_and_rehashed_is_caught_at_the_edited_event()
    {
        await IntegrityVerifierFor.SeedAsync(db);
        var id = await IntegrityVerifierFor.SeedAsync(db);
        await IntegrityVerifierFor.SeedAsync(db);
        (await Sealing.SealAsync(db)).Count.ShouldBe(1);
        (await Sealing.VerifyAsync(db, Sealing.Keys)).Ok.ShouldBeTrue();
        var edited = (await IntegrityVerifierFor.EventsAsync(db, id))[1];

        await Sealing.RewriteAndRehashAsync(db, id, edited.Sequence);

        // The chains alone no longer see it: every hash was recomputed the way the trigger computes it.
        (await Sealing.VerifyAsync(db, keys: null)).Ok.ShouldBeTrue();
        var report = await Sealing.VerifyAsync(db, Sealing.Keys);
        report.Ok.ShouldBeFalse();
        report.FirstBrokenSequence.ShouldBe(edited.Sequence);
        report.FirstBrokenStream.ShouldBe(id);
        report.FirstBrokenVersion.ShouldBe(2);
        report.Reason.ShouldBe("its history no longer matches seal 1: rewritten since it was sealed");
        report.Seals.ShouldBe(1);
    }
}

public sealed class SealDeletionTests(StoreFixture db) : Xunit.IClassFixture<StoreFixture>
{
    [Fact]
    public async Task The_newest_sealed_event_deleted_by_a_superuser_is_caught()
    {
        await IntegrityVerifierFor.SeedAsync(db);
        var id = await IntegrityVerifierFor.SeedAsync(db);
        var newest = (await IntegrityVerifierFor.EventsAsync(db, id))[2];
        var seal = (await Sealing.SealAsync(db)).ShouldHaveSingleItem();
        seal.ThroughSequence.ShouldBe(newest.Sequence);

        await Sealing.DeleteNewestAsync(db, id, newest.Sequence, versionLeft: 2);

        (await Sealing.VerifyAsync(db, keys: null)).Ok.ShouldBeTrue();
        var report = await Sealing.VerifyAsync(db, Sealing.Keys);
        report.Ok.ShouldBeFalse();
        report.FirstBrokenSequence.ShouldBe(newest.Sequence);
        report.Reason.ShouldBe($"event {newest.Sequence}, sealed by seal 1, is missing");
    }
}

public sealed class SealForgeryTests(StoreFixture db) : Xunit.IClassFixture<StoreFixture>
{
    [Fact]
    public async Task A_seal_made_without_the_key_is_caught_at_the_seal()
    {
        var id = await IntegrityVerifierFor.SeedAsync(db);
        await Sealing.SealAsync(db);
        await IntegrityVerifierFor.SeedAsync(db);
        // Someone without the key seals on, under the key id the application uses but with a key of their own.
        var forger = new SealKeys("k1", new Dictionary<string, byte[]> { ["k1"] = RandomNumberGenerator.GetBytes(32) });
        (await Sealing.SealAsync(db, forger)).ShouldHaveSingleItem().Number.ShouldBe(2);
        var forged = await FetchSealAsync(2);

        var report = await Sealing.VerifyAsync(db, Sealing.Keys);
        report.Ok.ShouldBeFalse();
        report.FirstBrokenSequence.ShouldBe(forged.Sequence);
        report.FirstBrokenStream.ShouldBe(HistorySeals.StreamId);
        report.Reason.ShouldBe("seal 2 does not verify under key 'k1': not made by the application, or altered");
        report.Seals.ShouldBe(1);

        // A rewrite before the forged seal is still caught by the authentic one.
        var edited = (await IntegrityVerifierFor.EventsAsync(db, id))[0];
        await Sealing.RewriteAndRehashAsync(db, id, edited.Sequence);
        (await Sealing.VerifyAsync(db, Sealing.Keys)).FirstBrokenSequence.ShouldBe(edited.Sequence);
    }

    private async Task<StoredEvent> FetchSealAsync(int number)
    {
        await using var dataSource = NpgsqlDataSource.Create(db.AppConnectionString);
        return (await new EventLog(db.AppStore, dataSource).FetchStreamAsync(HistorySeals.StreamId, number, number))[0];
    }
}

public sealed class SuccessiveSealTests(StoreFixture db) : Xunit.IClassFixture<StoreFixture>
{
    [Fact]
    public async Task Seals_follow_one_another_and_events_after_the_last_seal_are_verified_by_their_chains()
    {
        await IntegrityVerifierFor.SeedAsync(db);
        var first = (await Sealing.SealAsync(db)).ShouldHaveSingleItem();
        (await Sealing.SealAsync(db)).ShouldBeEmpty(); // nothing new but the seal's own event
        await IntegrityVerifierFor.SeedAsync(db);
        var second = (await Sealing.SealAsync(db)).ShouldHaveSingleItem();
        second.Number.ShouldBe(2);
        second.AfterSequence.ShouldBe(first.ThroughSequence);
        second.ThroughSequence.ShouldBe(first.ThroughSequence + 4); // seal 1's event and the three seeded after it
        var unsealed = await IntegrityVerifierFor.SeedAsync(db);

        var report = await Sealing.VerifyAsync(db, Sealing.Keys);
        report.Ok.ShouldBeTrue();
        report.Sealing.ShouldBeTrue();
        report.Seals.ShouldBe(2);
        report.SealedThrough.ShouldBe(second.ThroughSequence);

        var edited = (await IntegrityVerifierFor.EventsAsync(db, unsealed))[1];
        await IntegrityVerifierFor.TamperAsync(db,
            $"update {StoreFixture.Schema}.mt_events set data = jsonb_set(data, '{{fee}}', '1000') where seq_id = {edited.Sequence}");
        var tampered = await Sealing.VerifyAsync(db, Sealing.Keys);
        tampered.FirstBrokenSequence.ShouldBe(edited.Sequence);
        tampered.Reason.ShouldBe("hash does not match the event's content");
    }

}

public sealed class SealKeyTests(StoreFixture db) : Xunit.IClassFixture<StoreFixture>
{
    [Fact]
    public async Task A_seal_under_a_key_that_is_not_configured_is_caught()
    {
        var retired = new SealKeys("k0", new Dictionary<string, byte[]> { ["k0"] = RandomNumberGenerator.GetBytes(32) });
        await IntegrityVerifierFor.SeedAsync(db);
        await Sealing.SealAsync(db, retired);

        var report = await Sealing.VerifyAsync(db, Sealing.Keys);
        report.Ok.ShouldBeFalse();
        report.Reason.ShouldBe("seal 1 is signed with key 'k0', which is not configured");
        report.Seals.ShouldBe(0);

        // Without any key nothing is checked against the seals, and the report says so.
        var unsealed = await Sealing.VerifyAsync(db, keys: null);
        unsealed.Ok.ShouldBeTrue();
        unsealed.Sealing.ShouldBeFalse();
        unsealed.Seals.ShouldBe(0);
        unsealed.SealedThrough.ShouldBeNull();
    }

    [Fact]
    public async Task Without_a_key_the_report_says_the_history_is_unsealed()
    {
        await IntegrityVerifierFor.SeedAsync(db);
        var report = await Sealing.VerifyAsync(db, keys: null);
        report.Ok.ShouldBeTrue();
        report.Sealing.ShouldBeFalse();
        report.Seals.ShouldBe(0);
        report.SealedThrough.ShouldBeNull();
    }
}

public sealed class ExportedSealTests(StoreFixture db) : Xunit.IClassFixture<StoreFixture>
{
    [Fact]
    public async Task The_newest_seal_deleted_with_the_events_it_sealed_is_caught_by_its_exported_copy()
    {
        await IntegrityVerifierFor.SeedAsync(db);
        var first = (await Sealing.SealAsync(db)).ShouldHaveSingleItem();
        var id = await IntegrityVerifierFor.SeedAsync(db);
        var second = (await Sealing.SealAsync(db)).ShouldHaveSingleItem();
        var events = await IntegrityVerifierFor.EventsAsync(db, id);
        const string s = StoreFixture.Schema;

        await IntegrityVerifierFor.TamperAsync(db, $"""
            delete from {s}.ge_event_hashes where seq_id in (select seq_id from {s}.mt_events where stream_id = '{id}' or version = 2 and stream_id = '{HistorySeals.StreamId}');
            delete from {s}.mt_events where stream_id = '{id}' or version = 2 and stream_id = '{HistorySeals.StreamId}';
            delete from {s}.mt_streams where id = '{id}';
            update {s}.mt_streams set version = 1 where id = '{HistorySeals.StreamId}';
            """);

        // What the database holds agrees with itself: only a copy outside it shows what is gone.
        (await Sealing.VerifyAsync(db, Sealing.Keys)).Ok.ShouldBeTrue();
        var report = await Sealing.VerifyAsync(db, Sealing.Keys, [first, second]);
        report.Ok.ShouldBeFalse();
        report.FirstBrokenSequence.ShouldBe(events[0].Sequence);
        report.Reason.ShouldBe($"event {events[0].Sequence}, sealed by seal 2, is missing");
        report.SealedThrough.ShouldBe(second.ThroughSequence);
    }
}

public sealed class ConcurrentSealTests(StoreFixture db) : Xunit.IClassFixture<StoreFixture>
{
    [Fact]
    public async Task Processes_sealing_at_once_make_one_seal_per_number()
    {
        for (var round = 0; round < 5; round++)
        {
            await IntegrityVerifierFor.SeedAsync(db);
            var attempts = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
            {
                try { return (await Sealing.SealAsync(db)).Count; }
                catch (ConcurrencyException) { return 0; }
            }));
            attempts.Sum().ShouldBeGreaterThanOrEqualTo(1);
        }

        var report = await Sealing.VerifyAsync(db, Sealing.Keys);
        report.Ok.ShouldBeTrue();
        report.Seals.ShouldBeGreaterThanOrEqualTo(5);
    }
}
