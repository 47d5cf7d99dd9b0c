using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shouldly;

namespace GovEvents.EventStore.Tests.Timers;

public sealed class TimerServiceTests(TimerFixture db) : IClassFixture<TimerFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => db.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_hosted_service_fires_timers_as_they_fall_due()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(db.Store)
            .AddSingleton(TimerFixture.Registry(new DeemedAnswerHandler()))
            .AddEventStoreTimers(o => o.Interval = TimeSpan.FromMilliseconds(50));
        await using var provider = services.BuildServiceProvider();
        var service = provider.GetServices<IHostedService>().OfType<TimerService>().ShouldHaveSingleItem();
        var (id, _) = await db.SubmitAsync(TimeSpan.FromDays(1));
        await service.StartAsync(CancellationToken.None);
        try
        {
            await Task.Delay(300);
            (await db.Store.FetchStreamAsync(id)).Count.ShouldBe(1);

            db.Time.Advance(TimeSpan.FromDays(1));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while ((await db.Store.FetchStreamAsync(id)).Count < 2 && DateTime.UtcNow < deadline) await Task.Delay(50);

            (await db.Store.FetchStreamAsync(id))[^1].Data.ShouldBeOfType<DeemedAnswered>();
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_disabled_service_leaves_timers_to_explicit_sweeps()
    {
        var runner = new TimerRunner(db.Store, TimerFixture.Registry(new DeemedAnswerHandler()));
        var service = new TimerService(runner, new TimerServiceOptions { Enabled = false, Interval = TimeSpan.FromMilliseconds(20) });
        var (id, _) = await db.SubmitAsync(TimeSpan.FromDays(1));
        db.Time.Advance(TimeSpan.FromDays(1));

        await service.StartAsync(CancellationToken.None);
        await Task.Delay(300);
        await service.StopAsync(CancellationToken.None);

        (await db.Store.FetchStreamAsync(id)).Count.ShouldBe(1);
        (await runner.RunDueAsync(CancellationToken.None)).ShouldBe(1);
    }
}
