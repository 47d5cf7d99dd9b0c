using GovEvents.Api.Common;
using GovEvents.Api.Cases;
using GovEvents.Api.Hosting;
using GovEvents.Domain.Time;
using GovEvents.Store;
using GovEvents.Projections.Cases;

namespace GovEvents.Api.Supervision;

public sealed record LightCounts(int Green, int Yellow, int Red, int Breach);
public sealed record LitCase(string CaseId, string CaseNumber, string Light, DateOnly? PromisedDeadline, DateOnly? StatutoryDeadline, string DepartmentCode);
public sealed record TrafficLightsResponse(LightCounts Counts, IReadOnlyList<LitCase> Cases);

/// <summary>
/// GET /api/supervision/lights?departmentCode=: the light of every open case as of the hall's
/// today (<see cref="CaseTiming.Light"/>), counted by colour, and the cases that are not green,
/// most urgent first. Deadlines are as the case view shows them.
/// </summary>
public static class TrafficLights
{
    private static readonly string[] Urgency = [CaseTiming.Breach, CaseTiming.Red, CaseTiming.Yellow];

    public static async Task<IResult> Get(string? departmentCode, string? format, HttpContext http, EventLog store, CaseCommands handler, HallTimeZone hall, CancellationToken ct)
    {
        var errors = new FieldErrors().CheckList(null, null, format);
        if (errors.Any) return errors.Problem();
        var clock = await handler.ClockAsync(ct);
        var hallClock = new HallClock(hall.Zone);
        var lit = new List<(string Light, CaseView View)>();
        await foreach (var view in CaseViews.ReadAsync(store, departmentCode, ct))
            if (CaseTiming.Light(view, clock.Today, clock.Calendar, hallClock) is { } light) lit.Add((light, view));
        int Count(string light) => lit.Count(x => x.Light == light);
        var cases = lit.Where(x => x.Light != CaseTiming.Green)
            .OrderBy(x => Array.IndexOf(Urgency, x.Light)).ThenBy(x => x.View.PromisedDeadline).ThenBy(x => x.View.CaseNumber, StringComparer.Ordinal)
            .Select(x => new LitCase(x.View.Id, x.View.CaseNumber, x.Light, x.View.PromisedDeadline, x.View.StatutoryDeadline, x.View.DepartmentCode))
            .ToList();
        // CSV: the list of the answer, the cases that are not green.
        if (Lists.WantsCsv(http, format)) return Results.Text(Lists.Csv(http, cases), $"{Lists.CsvMediaType}; charset=utf-8");
        return Results.Ok(new TrafficLightsResponse(
            new LightCounts(Count(CaseTiming.Green), Count(CaseTiming.Yellow), Count(CaseTiming.Red), Count(CaseTiming.Breach)), cases));
    }
}
