namespace GovEvents.Store;

/// <summary>An event as stored: its data, its place in its stream and in the global feed, who did it.</summary>
public sealed record StoredEvent(
    long Sequence, Guid Id, string StreamId, int Version, string Type, object Data, EventMetadata Metadata, DateTimeOffset Timestamp,
    byte[]? Hash = null);

/// <summary>An event to append, with metadata of its own overriding the ambient context.</summary>
public sealed record EventToAppend(object Data, EventMetadata? Metadata = null);

/// <summary>One stream's share of an append: its events and the version the caller expects.</summary>
public sealed record StreamAppend(string StreamId, ExpectedVersion Expected, IReadOnlyList<object> Events)
{
    public static StreamAppend Start(string streamId, params object[] events) => new(streamId, ExpectedVersion.New, events);

    public static StreamAppend To(string streamId, ExpectedVersion expected, params object[] events) => new(streamId, expected, events);
}

/// <summary>null = any; 0 = the stream must be new; n = the stream must be at version n.</summary>
public readonly record struct ExpectedVersion(int? Value)
{
    public static readonly ExpectedVersion Any = new(null);
    public static readonly ExpectedVersion New = new(0);
    public static ExpectedVersion At(int version) => new(version);
    public static implicit operator ExpectedVersion(int version) => new(version);
    public override string ToString() => Value?.ToString() ?? "any";
}

/// <summary>State folded from a stream, and the version it was folded at.</summary>
public sealed record Aggregate<T>(T State, int Version);

/// <summary>The stream was not at the expected version (or already existed when it had to be new).</summary>
public sealed class ConcurrencyException(string streamId, ExpectedVersion expected, int? actual, Exception? inner = null)
    : Exception($"Stream {streamId} was not at version {expected} (found {actual?.ToString() ?? "unknown"}).", inner)
{
    public string StreamId { get; } = streamId;
    public ExpectedVersion Expected { get; } = expected;
    /// <summary>The version found, when known.</summary>
    public int? Actual { get; } = actual;
}
