using System.Buffers.Binary;
using System.Security.Cryptography;
using GovEvents.Domain.Audit;
using Npgsql;

namespace GovEvents.Store.TamperEvidence;

/// <summary>
/// Seals the history appended since the latest seal: one <see cref="HistorySealed"/> on the seals stream, appended
/// with the expected version, so that of several processes sealing at once one wins and the others get a
/// <see cref="ConcurrencyException"/>. A seal's own event is sealed by the next seal.
/// </summary>
public sealed class HistorySealer(EventLog log, NpgsqlDataSource dataSource, SealKeys keys, TimeProvider time)
{
    /// <summary>A seal covers at most this many events (its fingerprints: 8 bytes each); more take several seals.</summary>
    public const int MaxEventsPerSeal = 100_000;

    /// <summary>
    /// Seals every event appended since the latest seal; returns the seals made, none when nothing but the latest
    /// seal's own event came since. A sequence missing in the range may be an append still committing: when
    /// there is one, the range is read again after <paramref name="gapSettle"/>, and what is still missing then is
    /// sealed as missing (an append committed after that is reported by the verifier as inserted into sealed history).
    /// </summary>
    public async Task<IReadOnlyList<HistorySealed>> SealAsync(TimeSpan gapSettle, CancellationToken ct = default)
    {
        var made = new List<HistorySealed>();
        while (await SealOnceAsync(gapSettle, ct) is { } seal)
        {
            made.Add(seal);
            if (seal.ThroughSequence - seal.AfterSequence - seal.Missing.Count < MaxEventsPerSeal) break;
        }
        return made;
    }

    private async Task<HistorySealed?> SealOnceAsync(TimeSpan gapSettle, CancellationToken ct)
    {
        var (version, last, lastSequence) = await LatestAsync(log, ct);
        var after = last?.ThroughSequence ?? 0;
        var rows = await ReadAsync(after, null, ct);
        if (rows.Count == 0 || (rows.Count == 1 && rows[0].Sequence == lastSequence)) return null;

        var through = rows[^1].Sequence;
        if (gapSettle > TimeSpan.Zero && through - after != rows.Count)
        {
            await Task.Delay(gapSettle, ct);
            rows = await ReadAsync(after, through, ct);
        }

        var present = rows.Select(r => r.Sequence).ToHashSet();
        var missing = new List<long>();
        for (var s = after + 1; s <= through; s++)
            if (!present.Contains(s)) missing.Add(s);

        var fingerprints = new byte[rows.Count * SealDigest.FingerprintBytes];
        using var digest = new SealDigest(last?.Digest ?? SealDigest.Genesis);
        for (var i = 0; i < rows.Count; i++)
        {
            SealDigest.Fingerprint(rows[i].Hash).CopyTo(fingerprints.AsSpan(i * SealDigest.FingerprintBytes));
            digest.Add(rows[i].Sequence, rows[i].Hash);
        }

        var seal = new HistorySealed(version + 1, after, through, missing, Convert.ToBase64String(fingerprints), digest.Finish(),
            keys.SigningKeyId, "", time.GetUtcNow());
        seal = seal with { Mac = keys.Mac(seal) };
        await log.AppendAsync(HistorySeals.StreamId, version, [seal], ct);
        return seal;
    }

    /// <summary>The seals stream's version, its latest seal and that seal's global sequence (none yet: 0, null, 0).</summary>
    public static async Task<(int Version, HistorySealed? Seal, long Sequence)> LatestAsync(EventLog log, CancellationToken ct)
    {
        var version = await log.StreamVersionAsync(HistorySeals.StreamId, ct) ?? 0;
        if (version == 0) return (0, null, 0);
        var latest = (await log.FetchStreamAsync(HistorySeals.StreamId, version, version, ct: ct))[0];
        return (version, (HistorySealed)latest.Data, latest.Sequence);
    }

    private sealed record Row(long Sequence, byte[]? Hash);

    private async Task<List<Row>> ReadAsync(long after, long? through, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"""
            select e.seq_id, h.hash
              from {log.Schema}.mt_events e
              left join {log.Schema}.{TamperEvidenceSchema.HashTable} h on h.seq_id = e.seq_id
             where e.seq_id > $1 and e.seq_id <= coalesce($2, 9223372036854775807)
             order by e.seq_id
             limit {MaxEventsPerSeal}
            """);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)through ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        var rows = new List<Row>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            rows.Add(new Row(r.GetInt64(0), r.IsDBNull(1) ? null : r.GetFieldValue<byte[]>(1)));
        return rows;
    }
}

/// <summary>
/// A seal's digest: SHA-256 over the previous seal's digest, then each sealed event's global sequence
/// (8 bytes, big-endian) and chain hash (32 bytes; zeros for an event without one).
/// </summary>
internal sealed class SealDigest : IDisposable
{
    public const int FingerprintBytes = 8;
    public static readonly string Genesis = new('0', 64);

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public SealDigest(string previous) => _hash.AppendData(Convert.FromHexString(previous));

    public void Add(long sequence, byte[]? hash)
    {
        Span<byte> seq = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(seq, sequence);
        _hash.AppendData(seq);
        _hash.AppendData(hash ?? new byte[32]);
    }

    public string Finish() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    /// <summary>An event's fingerprint in a seal: the first bytes of its chain hash, to name the event that changed.</summary>
    public static ReadOnlySpan<byte> Fingerprint(byte[]? hash) =>
        hash is { Length: >= FingerprintBytes } ? hash.AsSpan(0, FingerprintBytes) : new byte[FingerprintBytes];

    public void Dispose() => _hash.Dispose();
}
