using System.Text.Json;
using System.Text.Json.Serialization;

namespace GovEvents.Api.Hosting.Json;

/// <summary>
/// Refuses text holding U+0000 at binding (a 400 naming the field): PostgreSQL stores no NUL in
/// text or jsonb, so such a value could only fail later, as a server error, after the decision.
/// </summary>
public sealed class NoNulStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        return value is not null && value.Contains('\0')
            ? throw new JsonException("Text may not contain the NUL character (U+0000).")
            : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
