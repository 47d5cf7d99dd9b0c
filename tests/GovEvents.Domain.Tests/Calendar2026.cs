using GovEvents.Domain.Time;

namespace GovEvents.Domain.Tests;

/// <summary>The 2026 entries of the State Council holiday notice used by the tests.</summary>
public static class Calendar2026
{
    private static DateOnly D(int m, int d) => new(2026, m, d);
    private static IEnumerable<DateOnly> Range(int m, int from, int to) => Enumerable.Range(from, to - from + 1).Select(d => D(m, d));

    public static readonly WorkingCalendar Calendar = new(
        holidays: [.. Range(1, 1, 3), .. Range(2, 15, 23), .. Range(4, 4, 6), .. Range(5, 1, 5), .. Range(6, 19, 21), .. Range(9, 25, 27), .. Range(10, 1, 7)],
        workdays: [D(1, 4), D(2, 14), D(2, 28), D(5, 9), D(9, 20), D(10, 10)]);
}
