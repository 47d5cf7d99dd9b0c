using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;

namespace GovEvents.EventStore;

/// <summary>JSON for event data and metadata: camelCase, decimals kept exact, instants with offset.</summary>
public sealed class EventSerializer(EventTypeRegistry types)
{
    public static readonly JsonSerializerSettings Settings = new()
    {
        ContractResolver = new CamelCasePropertyNamesContractResolver(),
        NullValueHandling = NullValueHandling.Ignore,
        FloatParseHandling = FloatParseHandling.Decimal,
        DateParseHandling = DateParseHandling.DateTimeOffset,
        DateTimeZoneHandling = DateTimeZoneHandling.RoundtripKind,
        Converters = { new Newtonsoft.Json.Converters.StringEnumConverter(new KebabCaseNamingStrategy()), new ExactDecimalConverter() },
    };

    private static readonly JsonSerializer Json = JsonSerializer.Create(Settings);

    public EventTypeRegistry Types => types;

    public string Serialize(object value) => JsonConvert.SerializeObject(value, Settings);

    public T? Deserialize<T>(string json) => JsonConvert.DeserializeObject<T>(json, Settings);

    /// <summary>Reads stored data as the current CLR type, upcasting old shapes first.</summary>
    public (string Alias, object Data) DeserializeEvent(string alias, string json)
    {
        if (types.HasUpcaster(alias))
        {
            using var reader = new JsonTextReader(new StringReader(json))
            {
                FloatParseHandling = FloatParseHandling.Decimal,
                DateParseHandling = DateParseHandling.None,
            };
            var (newAlias, data) = types.UpcastChain(alias, JObject.Load(reader));
            var target = types.TypeFor(newAlias) ?? throw UnknownType(newAlias);
            return (newAlias, data.ToObject(target, Json)!);
        }
        var type = types.TypeFor(alias) ?? throw UnknownType(alias);
        return (alias, JsonConvert.DeserializeObject(json, type, Settings)!);
    }

    private static InvalidOperationException UnknownType(string alias) =>
        new($"No event type is registered for the stored alias '{alias}'.");
}
