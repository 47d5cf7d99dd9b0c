using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Cases;

/// <summary>
/// Timers without the sweep: the poller finds a due timer by the hall clock and hands it to Wolverine
/// as a durable local message, whose handler fires it once.
/// </summary>
public sealed class BackgroundTimerTests(BackgroundTimerTests.TimersOnHost api) : IClassFixture<BackgroundTimerTests.TimersOnHost>
{
    public sealed class TimersOnHost : HallHost
    {
        protected override void ConfigureSettings(IDictionary<string, string?> settings)
        {
            settings["GovEvents:Timers:Enabled"] = "true";
            settings["GovEvents:Timers:IntervalSeconds"] = "1";
        }
    }

    [Fact]
    public async Task A_due_timer_fires_once_through_a_wolverine_message_without_a_sweep()
    {
        var hall = api.Hall;
        await hall.SetClockAsync(Hall.At(3, 2, 10));
        var c = await hall.SubmitAsync("T1");

        // Five working days later the deemed acceptance is due; the poller sees it within a tick or two.
        await hall.SetClockAsync(Hall.At(3, 10, 9));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await hall.StreamVersionAsync(c.Id) == 1 && DateTime.UtcNow < deadline) await Task.Delay(200);

        (await hall.ViewAsync(c.Id)).Str("status").ShouldBe("accepted");
        // Later ticks send the timer again only while it is due: it was removed with the decision.
        await Task.Delay(TimeSpan.FromSeconds(3));
        (await hall.StreamVersionAsync(c.Id)).ShouldBe(2);
    }
}
