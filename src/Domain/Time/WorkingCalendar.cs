namespace GovEvents.Domain.Time;

/// <summary>
/// Working days (ALL art. 82): Monday to Friday, less the statutory holidays, plus the weekend days
/// that are worked (调休) — as the State Council's notice for each year lists them.
/// The day of an act is not counted: a limit of N days ends with the Nth working day after it.
/// </summary>
public sealed class WorkingCalendar
{
    private readonly HashSet<DateOnly> _holidays;
    private readonly HashSet<DateOnly> _workdays;

    public WorkingCalendar(IEnumerable<DateOnly>? holidays = null, IEnumerable<DateOnly>? workdays = null)
    {
        _holidays = [.. holidays ?? []];
        _workdays = [.. workdays ?? []];
    }

    public static readonly WorkingCalendar Default = new();

    public IReadOnlySet<DateOnly> Holidays => _holidays;
    public IReadOnlySet<DateOnly> Workdays => _workdays;

    /// <summary>A calendar combining several years' entries.</summary>
    public static WorkingCalendar Combine(IEnumerable<CalendarYear> years) =>
        new(years.SelectMany(y => y.Holidays), years.SelectMany(y => y.Workdays));

    public bool IsWorkingDay(DateOnly day)
    {
        if (_workdays.Contains(day)) return true;
        if (_holidays.Contains(day)) return false;
        return day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>The Nth working day after <paramref name="from"/> (N = 0: <paramref name="from"/> itself).</summary>
    public DateOnly AddWorkingDays(DateOnly from, int days)
    {
        if (days < 0) throw new ArgumentOutOfRangeException(nameof(days), "Working days to add cannot be negative.");
        var day = from;
        for (var counted = 0; counted < days;)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day)) counted++;
        }
        return day;
    }

    /// <summary>Working days after <paramref name="from"/> up to and including <paramref name="to"/> (0 when to ≤ from).</summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        var count = 0;
        for (var day = from.AddDays(1); day <= to; day = day.AddDays(1))
            if (IsWorkingDay(day)) count++;
        return count;
    }
}

/// <summary>One year's entries of the holiday notice.</summary>
public sealed record CalendarYear(int Year, IReadOnlyList<DateOnly> Holidays, IReadOnlyList<DateOnly> Workdays);

/// <summary>The hall's zone: dates of acts and end-of-day deadlines are taken in it.</summary>
public sealed record HallClock(TimeZoneInfo Zone)
{
    public static readonly HallClock Shanghai = new(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));

    public DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    /// <summary>The end (23:59:59.999…) of a day in the hall's zone: when a deadline on that date passes.</summary>
    public DateTimeOffset EndOf(DateOnly day)
    {
        var local = day.AddDays(1).ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).AddTicks(-1);
    }
}
