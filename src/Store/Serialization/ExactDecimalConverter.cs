using System.Globalization;
using Newtonsoft.Json;

namespace GovEvents.Store.Serialization;

/// <summary>
/// Money keeps its exact value and scale through storage: 0m is written 0 (Newtonsoft would write
/// 0.0), 12.50m is written 12.50 and read back as 12.50m.
/// </summary>
public sealed class ExactDecimalConverter : JsonConverter
{
    public override bool CanConvert(Type objectType) => objectType == typeof(decimal) || objectType == typeof(decimal?);

    public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer)
    {
        if (value is decimal d) writer.WriteRawValue(d.ToString(CultureInfo.InvariantCulture));
        else writer.WriteNull();
    }

    public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer) =>
        reader.TokenType switch
        {
            JsonToken.Null when objectType == typeof(decimal?) => null,
            JsonToken.Float or JsonToken.Integer => reader.Value is decimal d ? d : Convert.ToDecimal(reader.Value, CultureInfo.InvariantCulture),
            JsonToken.String => decimal.Parse((string)reader.Value!, NumberStyles.Number, CultureInfo.InvariantCulture),
            _ => throw new JsonSerializationException($"Expected a number for {objectType.Name}, got {reader.TokenType}."),
        };
}
