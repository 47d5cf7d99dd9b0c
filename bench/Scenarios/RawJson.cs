using System.Data.Common;
using GovEvents.Store.Serialization;

namespace GovEvents.Bench.Scenarios;

/// <summary>
/// GovEvents' Newtonsoft serializer called directly, as Marten calls it, so that both sides write and
/// read byte-identical JSON and parse it from the data reader the same way.
/// </summary>
public static class RawJson
{
    private static readonly NewtonsoftSerializer Json = new();

    public static string Serialize(object value) => Json.ToJson(value);

    public static object Deserialize(DbDataReader reader, int index, Type type) => Json.FromJson(type, reader, index);

    public static T Deserialize<T>(DbDataReader reader, int index) => Json.FromJson<T>(reader, index);
}
