namespace GovEvents.EventStore;

/// <summary>An event as persisted: its data, its place in the stream and in the global feed.</summary>
public sealed record StoredEvent(
    long Sequence,
    Guid Id,
    string StreamId,
    int Version,
    string Type,
    object Data,
    EventMetadata Metadata,
    DateTimeOffset Timestamp,
    ulong TransactionId,
    byte[] Hash)
{
    private EventMetadata? _metadata = Metadata;
    private string? _metadataJson;
    private EventSerializer? _serializer;

    public EventMetadata Metadata
    {
        get => _metadata ??= _serializer!.Deserialize<EventMetadata>(_metadataJson!) ?? EventMetadata.System;
        init => _metadata = value;
    }

    /// <summary>
    /// An event whose metadata is parsed on first use: the projection daemon reads history in bulk,
    /// and most projections never look at who did what.
    /// </summary>
    internal static StoredEvent WithLazyMetadata(
        long sequence, Guid id, string streamId, int version, string type, object data, string metadataJson,
        EventSerializer serializer, DateTimeOffset timestamp, ulong transactionId, byte[] hash) =>
        new(sequence, id, streamId, version, type, data, null!, timestamp, transactionId, hash)
        {
            _metadataJson = metadataJson,
            _serializer = serializer,
        };
}

/// <summary>An event to append, with optional per-event metadata overriding the ambient context.</summary>
public sealed record EventToAppend(object Data, EventMetadata? Metadata = null, Guid? Id = null);

/// <summary>One stream's share of an append: its events and the version the caller expects.</summary>
public sealed record StreamAppend(string StreamId, string StreamType, ExpectedVersion Expected, IReadOnlyList<EventToAppend> Events)
{
    public static StreamAppend Start(string streamId, string streamType, params object[] events) =>
        new(streamId, streamType, ExpectedVersion.New, events.Select(e => new EventToAppend(e)).ToList());

    public static StreamAppend To(string streamId, string streamType, ExpectedVersion expected, params object[] events) =>
        new(streamId, streamType, expected, events.Select(e => new EventToAppend(e)).ToList());
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

public sealed record StreamState(string Id, string Type, int Version, DateTimeOffset Created, DateTimeOffset Updated, bool Archived);

/// <summary>Result of an append: the new version of each stream and the stored events.</summary>
public sealed record AppendResult(IReadOnlyList<StoredEvent> Events)
{
    public int VersionOf(string streamId) => Events.Where(e => e.StreamId == streamId).Max(e => e.Version);
}
