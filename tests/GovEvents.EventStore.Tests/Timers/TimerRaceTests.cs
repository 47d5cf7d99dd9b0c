using Shouldly;

namespace GovEvents.EventStore.Tests.Timers;

/// <summary>Timers against other processes: two runners on one database, and users answering at the last moment.</summary>
public sealed class TimerRaceTests(TimerFixture db) : IClassFixture<TimerFixture>, IAsyncLifetime
{
    private const string Kind = ApplicationTimers.DeemedAnswer;

    public Task InitializeAsync() => db.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Two_runners_in_separate_stores_racing_fire_each_timer_exactly_once()
    {
        await using var storeA = db.NewStore();
        await using var storeB = db.NewStore();
        var runnerA = new TimerRunner(storeA, TimerFixture.Registry(new DeemedAnswerHandler()));
        var runnerB = new TimerRunner(storeB, TimerFixture.Registry(new DeemedAnswerHandler()));
        var ids = new List<string>();
        var totalFired = 0;

        for (var round = 0; round < 25; round++)
        {
            var batch = new List<string>();
            for (var i = 0; i < 6; i++) batch.Add((await db.SubmitAsync(TimeSpan.FromMinutes(1))).Id);
            ids.AddRange(batch);
            db.Time.Advance(TimeSpan.FromMinutes(1));

            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var a = Task.Run(async () => { await start.Task; return await runnerA.RunDueAsync(CancellationToken.None); });
            var b = Task.Run(async () => { await start.Task; return await runnerB.RunDueAsync(CancellationToken.None); });
            start.SetResult();
            var fired = await Task.WhenAll(a, b);

            fired.Sum().ShouldBe(batch.Count, $"round {round}: A fired {fired[0]}, B fired {fired[1]}");
            totalFired += fired.Sum();
        }

        totalFired.ShouldBe(ids.Count);
        foreach (var id in ids)
        {
            var events = await db.Store.FetchStreamAsync(id);
            events.Count(e => e.Data is DeemedAnswered).ShouldBe(1, id);
            (await db.LogAsync(id)).Select(l => l.Outcome).ShouldBe(["fired"], id);
            (await db.TimerAsync(id, Kind)).ShouldBeNull();
        }
    }

    [Fact]
    public async Task A_timer_racing_a_last_moment_answer_lets_exactly_one_of_them_decide()
    {
        await using var runnerStore = db.NewStore();
        var runner = new TimerRunner(runnerStore, TimerFixture.Registry(new DeemedAnswerHandler()));
        var ids = new List<string>();
        for (var i = 0; i < 40; i++) ids.Add((await db.SubmitAsync(TimeSpan.FromMinutes(1))).Id);
        db.Time.Advance(TimeSpan.FromMinutes(1));

        var answers = ids.Select(id => Task.Run(async () =>
        {
            try
            {
                await db.Store.AppendAsync(id, ApplicationTimers.StreamType, 1, [new Answered(id, "approved")]);
                return true;
            }
            catch (ConcurrencyException) { return false; }
        })).ToList();
        var firedWhileAnswering = await runner.RunDueAsync(CancellationToken.None);
        var answered = await Task.WhenAll(answers);
        // Whatever was still due and unanswered after the race.
        var firedAfter = await runner.RunDueAsync(CancellationToken.None);

        (firedWhileAnswering + firedAfter + answered.Count(won => won)).ShouldBe(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            var events = await db.Store.FetchStreamAsync(ids[i]);
            events.Count.ShouldBe(2, ids[i]);
            events[1].Data.ShouldBeOfType(answered[i] ? typeof(Answered) : typeof(DeemedAnswered));
            (await db.TimerAsync(ids[i], Kind)).ShouldBeNull();
        }
    }
}
