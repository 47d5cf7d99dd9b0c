using GovEvents.Domain.Time;
using Shouldly;

namespace GovEvents.Domain.Tests;

public sealed class CalendarTests
{
    private static readonly WorkingCalendar Cal = Calendar2026.Calendar;

    [Fact]
    public void Weekdays_are_working_days_unless_a_holiday_and_weekend_days_only_when_worked()
    {
        Cal.IsWorkingDay(new DateOnly(2026, 3, 2)).ShouldBeTrue();    // Monday
        Cal.IsWorkingDay(new DateOnly(2026, 3, 7)).ShouldBeFalse();   // Saturday
        Cal.IsWorkingDay(new DateOnly(2026, 10, 5)).ShouldBeFalse();  // Monday in the National Day holiday
        Cal.IsWorkingDay(new DateOnly(2026, 10, 10)).ShouldBeTrue();  // Saturday worked (调休)
        WorkingCalendar.Default.IsWorkingDay(new DateOnly(2026, 10, 5)).ShouldBeTrue();
    }

    [Fact]
    public void The_day_of_the_act_is_not_counted()
    {
        Cal.AddWorkingDays(new DateOnly(2026, 3, 2), 1).ShouldBe(new DateOnly(2026, 3, 3));
        Cal.AddWorkingDays(new DateOnly(2026, 3, 6), 1).ShouldBe(new DateOnly(2026, 3, 9)); // Friday + 1 = Monday
        Cal.AddWorkingDays(new DateOnly(2026, 3, 2), 0).ShouldBe(new DateOnly(2026, 3, 2));
    }

    [Fact]
    public void Counting_across_the_National_Day_holiday_and_its_worked_Saturday()
    {
        // Tue 29 Sep: 30 Sep is the 1st; 1–7 Oct are holidays; Thu 8 = 2nd, Fri 9 = 3rd, Sat 10 (调休) = 4th, Mon 12 = 5th.
        Cal.AddWorkingDays(new DateOnly(2026, 9, 29), 5).ShouldBe(new DateOnly(2026, 10, 12));
        Cal.WorkingDaysBetween(new DateOnly(2026, 9, 29), new DateOnly(2026, 10, 12)).ShouldBe(5);
        Cal.WorkingDaysBetween(new DateOnly(2026, 10, 12), new DateOnly(2026, 9, 29)).ShouldBe(0);
    }

    [Fact]
    public void Counting_across_the_Spring_Festival_with_worked_Saturdays_on_both_sides()
    {
        // Fri 13 Feb: Sat 14 (调休) = 1st; 15–23 holiday; Tue 24 = 2nd ... Fri 27 = 5th; Sat 28 (调休) = 6th.
        Cal.AddWorkingDays(new DateOnly(2026, 2, 13), 1).ShouldBe(new DateOnly(2026, 2, 14));
        Cal.AddWorkingDays(new DateOnly(2026, 2, 13), 6).ShouldBe(new DateOnly(2026, 2, 28));
    }

    [Fact]
    public void A_deadline_ends_at_the_end_of_its_day_in_the_hall_zone()
    {
        var end = HallClock.Shanghai.EndOf(new DateOnly(2026, 10, 12));
        end.Offset.ShouldBe(TimeSpan.FromHours(8));
        end.ShouldBe(new DateTimeOffset(2026, 10, 12, 23, 59, 59, TimeSpan.FromHours(8)).AddTicks(TimeSpan.TicksPerSecond - 1));
        HallClock.Shanghai.DateOf(new DateTimeOffset(2026, 10, 11, 17, 0, 0, TimeSpan.Zero)).ShouldBe(new DateOnly(2026, 10, 12));
    }
}
