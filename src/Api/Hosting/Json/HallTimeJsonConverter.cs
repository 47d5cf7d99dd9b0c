using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GovEvents.Api.Hosting.Json;

/// <summary>
/// Reads any ISO-8601 instant with an offset; writes it in the hall's zone, so that clients see
/// "2026-03-02T09:00:00+08:00" whatever zone the server or the database run in.
/// </summary>
public sealed class HallTimeJsonConverter(HallTimeZone hall) : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(hall.ToHallTime(value).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture));
}
