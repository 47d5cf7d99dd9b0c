using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace GovEvents.EventStore;

/// <summary>
/// Stable storage names for event types (snake_case aliases, never CLR names) and the upcasters
/// that turn old stored shapes into the current ones on read.
/// </summary>
public sealed partial class EventTypeRegistry
{
    private readonly ConcurrentDictionary<Type, string> _aliasOf = new();
    private readonly ConcurrentDictionary<string, Type> _typeOf = new();
    private readonly ConcurrentDictionary<string, Upcaster> _upcasters = new();

    private sealed record Upcaster(string ToAlias, Func<JObject, JObject> Transform);

    /// <summary>Registers a type under an explicit alias, or under the snake_case of its name.</summary>
    public EventTypeRegistry Register<T>(string? alias = null) => Register(typeof(T), alias);

    public EventTypeRegistry Register(Type type, string? alias = null)
    {
        alias ??= ToSnakeCase(type.Name);
        if (_typeOf.TryGetValue(alias, out var existing) && existing != type)
            throw new InvalidOperationException($"Event alias '{alias}' is already used by {existing.Name}.");
        _typeOf[alias] = type;
        _aliasOf[type] = alias;
        return this;
    }

    /// <summary>Registers every non-abstract type assignable to <typeparamref name="TBase"/> in its assembly.</summary>
    public EventTypeRegistry RegisterAllOf<TBase>()
    {
        foreach (var t in typeof(TBase).Assembly.GetTypes()
                     .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(TBase).IsAssignableFrom(t)))
            Register(t);
        return this;
    }

    /// <summary>
    /// Old events stored as <paramref name="oldAlias"/> are read as <paramref name="newAlias"/> after
    /// <paramref name="transform"/> reshapes their data. Upcasters chain (v1 → v2 → v3).
    /// </summary>
    public EventTypeRegistry Upcast(string oldAlias, string newAlias, Func<JObject, JObject> transform)
    {
        _upcasters[oldAlias] = new Upcaster(newAlias, transform);
        return this;
    }

    public string AliasFor(Type type) =>
        _aliasOf.TryGetValue(type, out var alias)
            ? alias
            : throw new InvalidOperationException($"Event type {type.FullName} is not registered with the event store.");

    public bool HasUpcaster(string alias) => _upcasters.ContainsKey(alias);

    internal Type? TypeFor(string alias) => _typeOf.GetValueOrDefault(alias);

    /// <summary>Applies the upcaster chain starting at <paramref name="alias"/>.</summary>
    internal (string Alias, JObject Data) UpcastChain(string alias, JObject data)
    {
        var guard = 0;
        while (_upcasters.TryGetValue(alias, out var up))
        {
            if (++guard > 32) throw new InvalidOperationException($"Upcaster cycle at '{alias}'.");
            data = up.Transform(data);
            alias = up.ToAlias;
        }
        return (alias, data);
    }

    public static string ToSnakeCase(string name) => SnakeBoundary().Replace(name, "$1_$2").ToLowerInvariant();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex SnakeBoundary();
}
