using System.Net;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Tests.Infrastructure;
using GovEvents.Api.Timers;
using GovEvents.Store.Timers;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace GovEvents.Api.Tests.Cases;

/// <summary>
/// A timer whose stream moves while it decides (a command appended meanwhile): Wolverine's retry policy
/// on <see cref="FireTimerHandler"/> runs it again on the fresh state; a stream that keeps moving has the
/// conflict recorded on the timer, which is retried later. A test timer kind stands in for the domain's.
/// </summary>
public sealed class TimerConflictTests(ApiHost api) : IClassFixture<ApiHost>
{
    private TimerRegistry Registry => api.Services.GetRequiredService<TimerRegistry>();

    /// <summary>A note stream with a timer of <paramref name="kind"/> due now.</summary>
    private async Task<string> StreamWithDueTimerAsync(string kind)
    {
        var stream = "note-" + Guid.NewGuid().ToString("N");
        await api.Store.StartStreamAsync(stream, [new NoteTaken(stream, "first", api.Clock.GetUtcNow())]);
        await using var session = api.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Store(new ScheduledTimer
        {
            Id = ScheduledTimer.IdFor(stream, kind), StreamId = stream, Kind = kind,
            DueAt = api.Clock.GetUtcNow().AddMinutes(-1).ToUniversalTime(), Schedule = Guid.NewGuid(),
        });
        await session.SaveChangesAsync();
        return stream;
    }

    /// <summary>A handler that appends "by timer" at the version it read, after <paramref name="meddle"/> ran.</summary>
    private Func<DueTimer, CancellationToken, Task<TimerDecision>> Deciding(Func<int, Task<bool>> meddle) => async (timer, ct) =>
    {
        var version = (await api.Store.StreamVersionAsync(timer.StreamId, ct))!.Value;
        if (await meddle(version))
            await api.Store.AppendAsync(timer.StreamId, version, [new NoteTaken(timer.StreamId, "meanwhile", timer.Now)], ct);
        return TimerDecision.Append(timer.StreamId, version, new NoteTaken(timer.StreamId, "by timer", timer.Now));
    };

    private async Task<IReadOnlyList<string>> NotesAsync(string stream) =>
        (await api.Store.FetchStreamAsync(stream)).Select(e => ((NoteTaken)e.Data).Text).ToList();

    private async Task SweepAsync() =>
        (await api.CreateClient(Roles.Clerk).PostAsync("/api/dev/sweep", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

    [Fact]
    public async Task A_stream_that_moved_while_the_timer_decided_is_judged_again_and_the_timer_fires_once()
    {
        var kind = "test-moved-once-" + Guid.NewGuid().ToString("N")[..8];
        var decisions = 0;
        Registry.Handle(kind, Deciding(_ => Task.FromResult(Interlocked.Increment(ref decisions) == 1)));
        var stream = await StreamWithDueTimerAsync(kind);

        await SweepAsync();

        decisions.ShouldBe(2);
        (await NotesAsync(stream)).ShouldBe(["first", "meanwhile", "by timer"]);
        await using var query = api.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await query.LoadAsync<ScheduledTimer>(ScheduledTimer.IdFor(stream, kind))).ShouldBeNull();
    }

    [Fact]
    public async Task A_stream_that_keeps_moving_leaves_the_timer_to_be_retried_later_with_the_reason()
    {
        var kind = "test-always-moving-" + Guid.NewGuid().ToString("N")[..8];
        var decisions = 0;
        Registry.Handle(kind, Deciding(_ =>
        {
            Interlocked.Increment(ref decisions);
            return Task.FromResult(true);
        }));
        var stream = await StreamWithDueTimerAsync(kind);

        await SweepAsync();

        decisions.ShouldBe(FireTimerHandler.ConflictRetries + 1);
        (await NotesAsync(stream)).ShouldNotContain("by timer");
        await using var query = api.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var timer = (await query.LoadAsync<ScheduledTimer>(ScheduledTimer.IdFor(stream, kind))).ShouldNotBeNull();
        timer.Attempts.ShouldBe(1);
        timer.LastError.ShouldNotBeNull().ShouldContain("moved while deciding");
        timer.RetryAt.ShouldNotBeNull().ShouldBeGreaterThan(api.Clock.GetUtcNow());
    }
}
