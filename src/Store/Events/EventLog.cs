using JasperFx.Events;
using Marten;
using Marten.Exceptions;
using Marten.Services;
using StreamCollision = Marten.Exceptions.ExistingStreamIdCollisionException;
using Npgsql;

namespace GovEvents.Store;

/// <summary>
/// How GovEvents reads and writes its streams on Marten: appends with an expected version carry the
/// caller's metadata (correlation and causation in Marten's columns, actor, role, department,
/// window and delegation in its headers); reads give <see cref="StoredEvent"/>s with that metadata
/// back, and fold a stream at its latest version, at a version or as of a time.
/// </summary>
public sealed class EventLog(IDocumentStore store, NpgsqlDataSource dataSource)
{
    public IDocumentStore Store => store;

    /// <summary>The PostgreSQL schema of the events and documents.</summary>
    public string Schema => store.Options.DatabaseSchemaName;

    public Task<int> StartStreamAsync(string streamId, IEnumerable<object> events, CancellationToken ct = default) =>
        AppendAsync(streamId, ExpectedVersion.New, events, ct);

    /// <summary>Appends to a stream that must be at <paramref name="expected"/>; returns its new version.</summary>
    public async Task<int> AppendAsync(string streamId, ExpectedVersion expected, IEnumerable<object> events, CancellationToken ct = default) =>
        (await AppendAsync([new StreamAppend(streamId, expected, events.ToList())], ct))[streamId];

    /// <summary>
    /// Appends to one or more streams in one transaction (the request's, when an <see cref="AppendScope"/>
    /// is open: then under a savepoint, so that a refused append leaves the request's transaction usable);
    /// returns each stream's new version.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> AppendAsync(IReadOnlyList<StreamAppend> appends, CancellationToken ct = default)
    {
        await using var session = AppendScope.OpenSession(store);
        var actions = Stage(session, appends);
        await SaveAsync(session, appends, ct);
        return Versions(actions);
    }

    private static Dictionary<string, int> Versions(IEnumerable<StreamAction> actions) =>
        actions.ToDictionary(a => a.Key!, a => (int)a.Version, StringComparer.Ordinal);

    /// <summary>The version a stream reaches with <paramref name="append"/> (known only when a version was expected).</summary>
    public static int VersionAfter(StreamAppend append) => (append.Expected.Value ?? 0) + append.Events.Count;

    /// <summary>Adds the appends to <paramref name="session"/> with the ambient caller's metadata; the caller saves.</summary>
    public static IReadOnlyList<StreamAction> Stage(IDocumentSession session, IReadOnlyList<StreamAppend> appends)
    {
        var caller = EventContext.Current;
        var actions = new List<StreamAction>(appends.Count);
        foreach (var append in appends)
        {
            if (append.Events.Count == 0) throw new ArgumentException($"Nothing to append to {append.StreamId}.", nameof(appends));
            var events = append.Events.Select(e => Wrap(session, e, caller)).ToArray();
            actions.Add(append.Expected.Value switch
            {
                0 => session.Events.StartStream(append.StreamId, events),
                null => session.Events.Append(append.StreamId, events),
                { } version => session.Events.Append(append.StreamId, (long)(version + events.Length), events),
            });
        }
        return actions;
    }

    /// <summary>
    /// Saves a session holding <paramref name="appends"/>; a version conflict is a <see cref="ConcurrencyException"/>.
    /// A session in the request's transaction (<see cref="AppendScope"/>) saves under a savepoint, so that
    /// a refused append leaves that transaction usable (for a retry, and for the stored answer).
    /// </summary>
    public static async Task SaveAsync(IDocumentSession session, IReadOnlyList<StreamAppend> appends, CancellationToken ct)
    {
        if (AppendScope.Transaction is not { } tx || !ReferenceEquals(tx.Connection, session.Connection))
        {
            await SaveChangesAsync(session, appends, ct);
            return;
        }
        await tx.SaveAsync("append", ct);
        try
        {
            await SaveChangesAsync(session, appends, ct);
        }
        catch
        {
            await tx.RollbackAsync("append", CancellationToken.None);
            throw;
        }
        await tx.ReleaseAsync("append", ct);
    }

    private static async Task SaveChangesAsync(IDocumentSession session, IReadOnlyList<StreamAppend> appends, CancellationToken ct)
    {
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is StreamCollision or JasperFx.ConcurrencyException)
        {
            var streamId = e switch
            {
                StreamCollision c => c.Id?.ToString(),
                EventStreamUnexpectedMaxEventIdException m => m.Id?.ToString(),
                _ => null,
            };
            var append = appends.FirstOrDefault(a => a.StreamId == streamId) ?? appends[0];
            throw new ConcurrencyException(append.StreamId, append.Expected, e is StreamCollision ? -1 : null, e);
        }
    }

    private static IEvent Wrap(IDocumentSession session, object data, EventMetadata caller)
    {
        var (payload, metadata) = data is EventToAppend own ? (own.Data, own.Metadata ?? caller) : (data, caller);
        var e = session.Events.BuildEvent(payload);
        EventHeaders.Write(e, metadata);
        return e;
    }

    // ---- reads --------------------------------------------------------------------------------

    /// <summary>A stream's events from a version, up to a version or as of a time (none: no such stream).</summary>
    public async Task<IReadOnlyList<StoredEvent>> FetchStreamAsync(
        string streamId, int fromVersion = 1, int? toVersion = null, DateTimeOffset? asOf = null, CancellationToken ct = default)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(streamId, toVersion ?? 0, asOf?.ToUniversalTime(), fromVersion, ct);
        return events.Select(ToStored).ToList();
    }

    /// <summary>As <see cref="FetchStreamAsync"/>, each event with its hash in the chain (for history and audit).</summary>
    public async Task<IReadOnlyList<StoredEvent>> FetchStreamWithHashesAsync(string streamId, int fromVersion = 1, CancellationToken ct = default) =>
        await WithHashesAsync(await FetchStreamAsync(streamId, fromVersion, ct: ct), ct);

    private async Task<IReadOnlyList<StoredEvent>> WithHashesAsync(IReadOnlyList<StoredEvent> events, CancellationToken ct)
    {
        if (events.Count == 0) return events;
        await using var cmd = dataSource.CreateCommand($"select seq_id, hash from {Schema}.{TamperEvidence.TamperEvidenceSchema.HashTable} where seq_id = any($1)");
        cmd.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = events.Select(e => e.Sequence).ToArray() });
        var hashes = new Dictionary<long, byte[]>(events.Count);
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
                hashes[r.GetInt64(0)] = r.GetFieldValue<byte[]>(1);
        return events.Select(e => e with { Hash = hashes.GetValueOrDefault(e.Sequence) }).ToList();
    }

    /// <summary>The stream's version, or null when it does not exist.</summary>
    public async Task<int?> StreamVersionAsync(string streamId, CancellationToken ct = default)
    {
        await using var session = store.QuerySession();
        return (await session.Events.FetchStreamStateAsync(streamId, ct)) is { } state ? (int)state.Version : null;
    }

    /// <summary>
    /// Folds a stream at its latest version, at <paramref name="version"/> or as of <paramref name="asOf"/>;
    /// null when it has no events by then.
    /// </summary>
    public async Task<Aggregate<T>?> AggregateStreamAsync<T>(string streamId, T initial, Func<T, object, T> evolve,
        int? version = null, DateTimeOffset? asOf = null, CancellationToken ct = default)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(streamId, version ?? 0, asOf?.ToUniversalTime(), 0, ct);
        if (events.Count == 0) return null;
        var state = initial;
        foreach (var e in events) state = evolve(state, e.Data);
        return new Aggregate<T>(state, (int)events[^1].Version);
    }

    /// <summary>The events of every stream whose id starts with "<paramref name="streamType"/>-" (small reference streams).</summary>
    public async Task<IReadOnlyList<StoredEvent>> FetchStreamsOfTypeAsync(string streamType, CancellationToken ct = default)
    {
        await using var session = store.QuerySession();
        var prefix = streamType + "-";
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamKey!.StartsWith(prefix))
            .OrderBy(e => e.Sequence)
            .ToListAsync(ct);
        return events.OrderBy(e => e.StreamKey, StringComparer.Ordinal).ThenBy(e => e.Version).Select(ToStored).ToList();
    }

    /// <summary>The events of <paramref name="streamIds"/> (up to <paramref name="asOf"/> when given), stream by stream in version order.</summary>
    public async Task<IReadOnlyList<StoredEvent>> FetchStreamsAsync(IReadOnlyCollection<string> streamIds, DateTimeOffset? asOf, CancellationToken ct = default)
    {
        if (streamIds.Count == 0) return [];
        await using var session = store.QuerySession();
        var ids = streamIds.ToArray();
        var query = session.Events.QueryAllRawEvents().Where(e => e.StreamKey.IsOneOf(ids));
        if (asOf is { } until)
        {
            var utc = until.ToUniversalTime();
            query = query.Where(e => e.Timestamp <= utc);
        }
        var events = await query.OrderBy(e => e.StreamKey).ThenBy(e => e.Version).ToListAsync(ct);
        return events.Select(ToStored).ToList();
    }

    /// <summary>The global feed in sequence order from <paramref name="fromSequence"/> (inclusive).</summary>
    public async Task<IReadOnlyList<StoredEvent>> ReadAllAsync(long fromSequence, int limit, CancellationToken ct = default)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.Sequence >= fromSequence)
            .OrderBy(e => e.Sequence)
            .Take(limit)
            .ToListAsync(ct);
        return await WithHashesAsync(events.Select(ToStored).ToList(), ct);
    }

    public static StoredEvent ToStored(IEvent e) =>
        new(e.Sequence, e.Id, e.StreamKey ?? e.StreamId.ToString(), (int)e.Version, e.EventTypeName, e.Data, EventHeaders.Read(e), e.Timestamp);
}
