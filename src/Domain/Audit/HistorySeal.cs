namespace GovEvents.Domain.Audit;

/// <summary>An event of the one seals stream, <see cref="HistorySeals.StreamId"/>; its version is the seal's number.</summary>
public interface IHistorySealEvent
{
    long Number { get; }
}

/// <summary>
/// The application sealed the events with a global sequence in (<paramref name="AfterSequence"/>,
/// <paramref name="ThroughSequence"/>]: <paramref name="Missing"/> lists the sequences of that range that held no
/// event (rolled-back appends), <paramref name="Fingerprints"/> the first 8 bytes of every other event's chain hash
/// in sequence order (base64), <paramref name="Digest"/> SHA-256 over the previous seal's digest and every such
/// event's sequence and full hash (hex). <paramref name="Mac"/> is HMAC-SHA256 of all of it under the key
/// <paramref name="KeyId"/>, which only the application holds.
/// </summary>
public sealed record HistorySealed(long Number, long AfterSequence, long ThroughSequence, IReadOnlyList<long> Missing,
    string Fingerprints, string Digest, string KeyId, string Mac, DateTimeOffset SealedAt) : IHistorySealEvent;

public static class HistorySeals
{
    public const string StreamId = "history-seals";
}

/// <summary>Stable storage names of these events, never the CLR names: renaming a type keeps what is stored.</summary>
public static class HistorySealEventNames
{
    public static readonly IReadOnlyList<(Type Type, string Name)> All =
    [
        (typeof(HistorySealed), "history_sealed"),
    ];
}
