using GovEvents.Domain.Catalogue;
using GovEvents.Domain.Organisation;
using GovEvents.Domain.Time;
using GovEvents.Store;
using GovEvents.Projections.Organisation;

namespace GovEvents.Api.Cases;

/// <summary>What case decisions need from the rest of the hall, read fresh from the store for each command.</summary>
public sealed class ReferenceData(EventLog store)
{
    public static string CalendarStreamId(int year) => $"calendar-{year}";

    public async Task<Matter> MatterAsync(string code, CancellationToken ct) =>
        (await store.AggregateStreamAsync(Matter.StreamId(code), new Matter(), Matter.Evolve, ct: ct))?.State ?? new Matter();

    public async Task<Department> DepartmentAsync(string code, CancellationToken ct) =>
        (await store.AggregateStreamAsync(Department.StreamId(code), new Department(), Department.Evolve, ct: ct))?.State ?? new Department();

    /// <summary>The calendar entries of the years around <paramref name="today"/> (deadlines run into the next year), in one read.</summary>
    public async Task<WorkingCalendar> CalendarAsync(DateOnly today, CancellationToken ct)
    {
        var streams = Enumerable.Range(today.Year - 1, 3).Select(CalendarStreamId).ToList();
        var events = await store.FetchStreamsAsync(streams, asOf: null, ct);
        // A year's calendar is its latest setting.
        var years = events.GroupBy(e => e.StreamId)
            .Select(g => g.Select(e => e.Data).OfType<CalendarYearSet>().LastOrDefault())
            .OfType<CalendarYearSet>()
            .Select(s => new CalendarYear(s.Year, s.Holidays, s.Workdays));
        return WorkingCalendar.Combine(years.ToList());
    }

    public async Task<IReadOnlyList<Delegation>> DelegationsAsync(string staffId, CancellationToken ct)
    {
        await using var session = store.Store.QuerySession();
        return await DelegationIndex.ForStaffAsync(session, staffId, ct);
    }
}
