using Shouldly;

namespace GovEvents.Store.Tests.Guarantees;

/// <summary>A stream folded at its latest version, at a version and as of a time, by the clock events were appended with.</summary>
public sealed class TimeTravelTests(DaemonDatabase db) : IClassFixture<DaemonDatabase>
{
    private static IReadOnlyList<string> Evolve(IReadOnlyList<string> notes, object e) => e switch
    {
        CaseFiled f => [f.Title],
        CaseNoteAdded n => [.. notes, n.Note],
        _ => notes,
    };

    [Fact]
    public async Task A_stream_folds_at_its_latest_version_at_a_version_and_as_of_a_time()
    {
        var log = db.Log(await db.OpenAsync());
        var id = "case-" + Guid.NewGuid().ToString("N");
        var t1 = db.Time.GetUtcNow();
        await log.StartStreamAsync(id, [new CaseFiled(id, "filed", t1)]);
        db.Time.Advance(TimeSpan.FromHours(1));
        var t2 = db.Time.GetUtcNow();
        await log.AppendAsync(id, 1, [new CaseNoteAdded(id, "accepted", 1m, t2)]);
        db.Time.Advance(TimeSpan.FromDays(3));
        var t3 = db.Time.GetUtcNow();
        await log.AppendAsync(id, 2, [new CaseNoteAdded(id, "approved", 2m, t3), new CaseNoteAdded(id, "delivered", 3m, t3)]);

        var latest = await log.AggregateStreamAsync<IReadOnlyList<string>>(id, [], Evolve);
        latest.ShouldNotBeNull().Version.ShouldBe(4);
        latest.State.ShouldBe(["filed", "accepted", "approved", "delivered"]);

        var atTwo = await log.AggregateStreamAsync<IReadOnlyList<string>>(id, [], Evolve, version: 2);
        atTwo.ShouldNotBeNull().Version.ShouldBe(2);
        atTwo.State.ShouldBe(["filed", "accepted"]);

        // The timestamps are the hall clock's, not the database's: as of a moment between appends.
        var asOfDayTwo = await log.AggregateStreamAsync<IReadOnlyList<string>>(id, [], Evolve, asOf: t2.AddDays(1));
        asOfDayTwo.ShouldNotBeNull().Version.ShouldBe(2);
        asOfDayTwo.State.ShouldBe(["filed", "accepted"]);
        (await log.AggregateStreamAsync<IReadOnlyList<string>>(id, [], Evolve, asOf: t3)).ShouldNotBeNull().Version.ShouldBe(4);
        (await log.AggregateStreamAsync<IReadOnlyList<string>>(id, [], Evolve, asOf: t1.AddTicks(-10))).ShouldBeNull();
        // An instant with another offset is the same instant.
        (await log.AggregateStreamAsync<IReadOnlyList<string>>(id, [], Evolve, asOf: t2.ToOffset(TimeSpan.FromHours(8)))).ShouldNotBeNull().Version.ShouldBe(2);

        var events = await log.FetchStreamAsync(id);
        events.Select(e => e.Timestamp).ShouldBe([t1, t2, t3, t3]);
        (await log.FetchStreamAsync(id, toVersion: 3)).Select(e => e.Version).ShouldBe([1, 2, 3]);
        (await log.FetchStreamAsync(id, fromVersion: 2, toVersion: 3)).Select(e => e.Version).ShouldBe([2, 3]);
        (await log.FetchStreamAsync(id, asOf: t2.AddMinutes(1))).Select(e => e.Version).ShouldBe([1, 2]);
        (await log.FetchStreamAsync("case-none")).ShouldBeEmpty();
    }
}
