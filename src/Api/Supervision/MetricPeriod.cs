using GovEvents.Api.Common;

namespace GovEvents.Api.Supervision;

/// <summary>What every metric shares: a period of hall dates (either end open) and rates to four places.</summary>
internal static class MetricPeriod
{
    public static FieldErrors Check(DateOnly? from, DateOnly? to) =>
        new FieldErrors().Require(from is null || to is null || from <= to, "to", "On or after from.");

    public static bool Within(DateOnly day, DateOnly? from, DateOnly? to) => (from is null || day >= from) && (to is null || day <= to);

    /// <summary>part / whole to four decimal places; null when nothing was counted.</summary>
    public static decimal? Rate(int part, int whole) => whole == 0 ? null : Math.Round((decimal)part / whole, 4);
}
