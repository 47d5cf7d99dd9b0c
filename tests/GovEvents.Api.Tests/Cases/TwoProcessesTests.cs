using System.Net;
using System.Net.Http.Json;
using GovEvents.Api.Tests.Infrastructure;
using GovEvents.Testing;
using Shouldly;

namespace GovEvents.Api.Tests.Cases;

/// <summary>Two API processes on one database: a time-driven act is recorded once, whichever sweeps.</summary>
public sealed class TwoProcessesTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private ApiHost _a = null!;
    private ApiHost _b = null!;

    public async Task InitializeAsync()
    {
        var role = ApiHost.CreateAppRole(_database);
        _a = ApiHost.OnDatabase(_database, role, s => s["GovEvents:Wolverine:Solo"] = "false");
        _b = ApiHost.OnDatabase(_database, role, s => s["GovEvents:Wolverine:Solo"] = "false");
        await _a.InitializeAsync();
        await _b.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Deemed_acceptance_is_recorded_once_when_both_processes_sweep_at_once()
    {
        var hall = _a.Hall;
        await HallSeed.SeedAsync(hall);
        await hall.SetClockAsync(Hall.At(2, 12, 10));
        var cases = new List<CaseRef>();
        for (var i = 0; i < 5; i++) cases.Add(await hall.SubmitAsync("T1"));

        var due = Hall.At(2, 27, 9);
        _a.Clock.Set(due);
        _b.Clock.Set(due);
        var sweeps = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            (i % 2 == 0 ? _a : _b).CreateClient().PostAsJsonAsync("/api/dev/sweep", new { })));

        sweeps.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        foreach (var c in cases)
        {
            var events = await _b.Store.FetchStreamAsync(c.Id);
            events.Select(e => e.Type).ShouldBe(["case_submitted", "case_deemed_accepted"]);
        }
    }
}
