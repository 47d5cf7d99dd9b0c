using System.Diagnostics.CodeAnalysis;

namespace GovEvents.Api.Hosting;

/// <summary>The hall's time zone (GovEvents:TimeZone): the API writes every instant in it.</summary>
public sealed record HallTimeZone(TimeZoneInfo Zone)
{
    public DateTimeOffset ToHallTime(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(ToHallTime(time.GetUtcNow()).DateTime);

    public static HallTimeZone Find(string id) =>
        TryFind(id, out var zone) ? zone : throw new InvalidOperationException($"Unknown time zone '{id}'.");

    public static bool TryFind(string id, [NotNullWhen(true)] out HallTimeZone? zone)
    {
        try
        {
            zone = new HallTimeZone(TimeZoneInfo.FindSystemTimeZoneById(id));
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            zone = null;
            return false;
        }
    }
}
