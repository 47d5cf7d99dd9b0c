using GovEvents.EventStore;
using Newtonsoft.Json;

namespace GovEvents.Bench.Scenarios;

/// <summary>
/// Newtonsoft.Json as an application would call it directly, with the same settings the store
/// uses, so that both sides write and read byte-identical documents.
/// </summary>
public static class RawJson
{
    public static string Serialize(object value) => JsonConvert.SerializeObject(value, EventSerializer.Settings);

    public static object Deserialize(string json, Type type) => JsonConvert.DeserializeObject(json, type, EventSerializer.Settings)!;

    public static T Deserialize<T>(string json) => JsonConvert.DeserializeObject<T>(json, EventSerializer.Settings)!;
}
