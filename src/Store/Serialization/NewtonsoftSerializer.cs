using System.Buffers;
using System.Data.Common;
using System.Text;
using Marten;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;
using Npgsql;
using NpgsqlTypes;
using Weasel.Core;

namespace GovEvents.Store.Serialization;

/// <summary>
/// Marten's JSON as our events were always written, with Newtonsoft: camelCase, nulls left out,
/// money exact to its scale (12.50 stays 12.50), instants with their offset, DateOnly as yyyy-MM-dd,
/// enums as kebab-case strings. Events and documents alike.
/// </summary>
public sealed class NewtonsoftSerializer : Marten.ISerializer
{
    // Dictionary keys are data (case ids, codes), not member names: they are stored as given.
    private static readonly IContractResolver CamelCase = new DefaultContractResolver
    {
        NamingStrategy = new CamelCaseNamingStrategy { ProcessDictionaryKeys = false, OverrideSpecifiedNames = true },
    };

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly JsonSerializer _json = JsonSerializer.Create(Settings());

    // Only Marten's patching asks for type names, to write polymorphic values.
    private readonly JsonSerializer _withTypes = JsonSerializer.Create(Settings(TypeNameHandling.Objects));

    private static JsonSerializerSettings Settings(TypeNameHandling typeNames = TypeNameHandling.None) => new()
    {
        ContractResolver = CamelCase,
        TypeNameHandling = typeNames,
        NullValueHandling = NullValueHandling.Ignore,
        FloatParseHandling = FloatParseHandling.Decimal,
        DateParseHandling = DateParseHandling.DateTimeOffset,
        DateTimeZoneHandling = DateTimeZoneHandling.RoundtripKind,
        Converters = { new StringEnumConverter(new KebabCaseNamingStrategy()), new ExactDecimalConverter() },
    };

    public EnumStorage EnumStorage => EnumStorage.AsString;

    public Casing Casing => Casing.CamelCase;

    // Select() projections hand values back as JSON text ("12.50"); Newtonsoft reads them into the typed member.
    public ValueCasting ValueCasting => ValueCasting.Relaxed;

    public string ToJson(object? document) => Write(_json, document);

    public string ToCleanJson(object? document) => Write(_json, document);

    public string ToJsonWithTypes(object document) => Write(_withTypes, document);

    public void WriteTo(IBufferWriter<byte> writer, object? value) => Utf8.GetBytes(ToJson(value), writer);

    public void WriteToCleanJson(IBufferWriter<byte> writer, object? value) => Utf8.GetBytes(ToCleanJson(value), writer);

    public void WriteToJsonWithTypes(IBufferWriter<byte> writer, object value) => Utf8.GetBytes(ToJsonWithTypes(value), writer);

    public void WriteToParameter(NpgsqlParameter parameter, object? value)
    {
        parameter.NpgsqlDbType = NpgsqlDbType.Jsonb;
        parameter.Value = value is null ? DBNull.Value : ToJson(value);
    }

    public T FromJson<T>(Stream stream) => (T)FromJson(typeof(T), stream);

    public T FromJson<T>(DbDataReader reader, int index) => (T)FromJson(typeof(T), reader, index);

    public object FromJson(Type type, Stream stream)
    {
        using var text = new StreamReader(stream, Utf8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        return Read(text, type);
    }

    public object FromJson(Type type, DbDataReader reader, int index)
    {
        using var text = reader.GetTextReader(index);
        return Read(text, type);
    }

    public async ValueTask<T> FromJsonAsync<T>(Stream stream, CancellationToken cancellationToken = default) =>
        (T)await FromJsonAsync(typeof(T), stream, cancellationToken);

    public async ValueTask<T> FromJsonAsync<T>(DbDataReader reader, int index, CancellationToken cancellationToken = default) =>
        (T)await FromJsonAsync(typeof(T), reader, index, cancellationToken);

    // Newtonsoft parses synchronously: the I/O is awaited, the text is then parsed in memory.
    public async ValueTask<object> FromJsonAsync(Type type, Stream stream, CancellationToken cancellationToken = default)
    {
        using var text = new StreamReader(stream, Utf8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        return Read(new StringReader(await text.ReadToEndAsync(cancellationToken)), type);
    }

    public async ValueTask<object> FromJsonAsync(Type type, DbDataReader reader, int index, CancellationToken cancellationToken = default) =>
        Read(new StringReader(await reader.GetFieldValueAsync<string>(index, cancellationToken)), type);

    /// <summary>
    /// A stored event as it was written, for an upcaster to reshape: dates stay text (no offset is
    /// lost before the new shape reads them), numbers stay decimal.
    /// </summary>
    internal static JObject ReadObject(string json)
    {
        using var reader = new JsonTextReader(new StringReader(json))
        {
            DateParseHandling = DateParseHandling.None,
            FloatParseHandling = FloatParseHandling.Decimal,
        };
        return JObject.Load(reader);
    }

    /// <summary>Reads reshaped data as <paramref name="type"/>, with the same conventions as everything else.</summary>
    internal object ToObject(JObject data, Type type) =>
        data.ToObject(type, _json) ?? throw new JsonSerializationException($"The upcast data of {type.Name} is null.");

    private static string Write(JsonSerializer json, object? value)
    {
        using var text = new StringWriter();
        json.Serialize(text, value);
        return text.ToString();
    }

    private object Read(TextReader text, Type type)
    {
        using var reader = new JsonTextReader(text) { CloseInput = false };
        return _json.Deserialize(reader, type)!;
    }
}
