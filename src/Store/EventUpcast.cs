using GovEvents.Store.Serialization;
using Marten.Events;
using Marten.Services.Json.Transformations;
using Newtonsoft.Json.Linq;

namespace GovEvents.Store;

/// <summary>
/// An old stored shape read as a current event: events stored under <paramref name="StoredName"/>
/// are reshaped by <paramref name="Transform"/> and read as <paramref name="EventType"/>. The stored
/// rows are never rewritten. A reshaped event takes a new name, so the old name is only ever read
/// through its upcast (several old names may lead to the same current event).
/// </summary>
public sealed record EventUpcast(string StoredName, Type EventType, Func<JObject, JObject> Transform)
{
    public static EventUpcast To<TEvent>(string storedName, Func<JObject, JObject> transform) =>
        new(storedName, typeof(TEvent), transform);

    internal void Register(IEventStoreOptions events, NewtonsoftSerializer serializer)
    {
        if (EventNames.All.Any(e => e.Name == StoredName))
            throw new InvalidOperationException(
                $"'{StoredName}' is the storage name of a current event; the reshaped event takes a new name and '{StoredName}' is upcast to it.");
        events.Upcast(EventType, StoredName, new JsonTransformation(
            (_, reader, index) => Read(serializer, reader.GetFieldValue<string>(index)),
            async (_, reader, index, ct) => Read(serializer, await reader.GetFieldValueAsync<string>(index, ct))));
    }

    private object Read(NewtonsoftSerializer serializer, string json) =>
        serializer.ToObject(Transform(NewtonsoftSerializer.ReadObject(json)), EventType);
}
