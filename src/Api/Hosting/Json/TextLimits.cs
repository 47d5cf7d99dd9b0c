using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace GovEvents.Api.Hosting.Json;

/// <summary>
/// The longest text each field of a request may hold, by its JSON name (README, "Text limits"):
/// longer is a 400 naming the field at binding, before any decision, so nothing is appended.
/// Codes and ids 64, names 200, id numbers and phone numbers 32, document numbers 64, legal bases
/// 1,000, complaint content 4,000; every other text (comments, notes, reasons, findings, …) 2,000.
/// </summary>
public static class TextLimits
{
    public const int Code = 64, Name = 200, IdNumber = 32, Phone = 32, Number = 64, LegalBasis = 1_000, Content = 4_000, Text = 2_000;

    private static readonly Dictionary<string, int> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        // codes and ids, alone or in lists
        ["code"] = Code, ["id"] = Code, ["matterCode"] = Code, ["departmentCode"] = Code, ["windowCode"] = Code,
        ["staffId"] = Code, ["staffA"] = Code, ["staffB"] = Code, ["leaderStaffId"] = Code, ["agentStaffId"] = Code,
        ["feeItemCode"] = Code, ["material"] = Code, ["complaintId"] = Code, ["caseId"] = Code, ["subject"] = Code,
        ["materials"] = Code, ["matterCodes"] = Code, ["feeItemCodes"] = Code, ["participants"] = Code, ["attendees"] = Code,
        ["roles"] = Code, ["toHall"] = Code,
        // people and documents
        ["name"] = Name, ["approvedBy"] = Name, ["idNumber"] = IdNumber, ["phone"] = Phone,
        ["licenceNumber"] = Number, ["receiptNumber"] = Number, ["approvalReference"] = Number,
        ["legalBasis"] = LegalBasis, ["content"] = Content,
    };

    /// <summary>The limit of a field by its JSON name.</summary>
    public static int For(string field) => ByName.GetValueOrDefault(field, Text);

    /// <summary>A System.Text.Json contract modifier: every text property of the API's request types gets its limit.</summary>
    public static void Apply(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || info.Type.Namespace?.StartsWith("GovEvents.Api", StringComparison.Ordinal) != true) return;
        foreach (var property in info.Properties)
        {
            if (property.PropertyType == typeof(string)) property.CustomConverter = new LimitedText(For(property.Name));
            else if (property.PropertyType == typeof(string[])) property.CustomConverter = new LimitedTexts(For(property.Name));
        }
    }

    /// <summary>One text: no NUL (see <see cref="NoNulStringConverter"/>) and at most <paramref name="max"/> characters.</summary>
    private sealed class LimitedText(int max) : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Check(ref reader, max);

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    /// <summary>A list of texts (codes), each limited.</summary>
    private sealed class LimitedTexts(int max) : JsonConverter<string[]>
    {
        public override string[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null) return null;
            if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("A list of texts.");
            var items = new List<string>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                items.Add(Check(ref reader, max) ?? throw new JsonException("No null in the list."));
            return [.. items];
        }

        public override void Write(Utf8JsonWriter writer, string[] value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value, options);
    }

    private static string? Check(ref Utf8JsonReader reader, int max)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.String) throw new JsonException("Text expected.");
        var value = reader.GetString()!;
        if (value.Contains('\0')) throw new JsonException("Text may not contain the NUL character (U+0000).");
        return value.Length > max ? throw new JsonException($"At most {max} characters ({value.Length} given).") : value;
    }
}
