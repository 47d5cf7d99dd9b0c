using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace GovEvents.Store.TamperEvidence;

/// <param name="VerifiedEvents">Events read from mt_events.</param>
/// <param name="Ok">Every chain and every stream head verified.</param>
/// <param name="FirstBrokenSequence">Global sequence of the first broken event (0 for a stream whose events are all gone).</param>
public sealed record IntegrityReport(
    long VerifiedEvents, bool Ok, long? FirstBrokenSequence, string? FirstBrokenStream, long? FirstBrokenVersion, string? Reason);

/// <summary>
/// Recomputes every stream's hash chain in global sequence order, in C# and independently of the database's
/// own hash function: each event's stored hash must equal SHA-256 of the previous stored hash of its stream and
/// its canonical form, no version may be missing, every hash must have its event, and every stream's version
/// must be its last event's. Reports the first broken event by global sequence.
/// </summary>
public sealed class IntegrityVerifier(NpgsqlDataSource dataSource, string schema)
{
    private sealed class Head(long version, long sequence, byte[] hash)
    {
        public long Version = version;
        public long Sequence = sequence;
        public byte[] Hash = hash;
    }

    private sealed record Break(long Sequence, string? Stream, long? Version, string Reason);

    public async Task<IntegrityReport> VerifyAsync(CancellationToken ct = default)
    {
        var heads = new Dictionary<string, Head>(StringComparer.Ordinal);
        Break? first = null;
        long count = 0;

        await using (var cmd = dataSource.CreateCommand($"""
            select coalesce(e.seq_id, h.seq_id), e.stream_id, e.version, e.type, e.data::text,
                   e.correlation_id, e.causation_id, e.headers::text, e."timestamp", h.hash
              from {schema}.mt_events e
              full join {schema}.{TamperEvidenceSchema.HashTable} h on h.seq_id = e.seq_id
             order by 1
            """))
        {
            cmd.CommandTimeout = 0;
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var seq = r.GetInt64(0);
                if (r.IsDBNull(1))
                {
                    first ??= new Break(seq, null, null, "event is missing: its hash remains");
                    continue;
                }

                count++;
                var stream = r.GetString(1);
                var version = r.GetInt64(2);
                byte[]? stored = r.IsDBNull(9) ? null : r.GetFieldValue<byte[]>(9);
                heads.TryGetValue(stream, out var head);
                var expectedVersion = (head?.Version ?? 0) + 1;

                string? reason = null;
                if (version != expectedVersion)
                    reason = version > expectedVersion ? $"version {expectedVersion} is missing" : $"version {version} follows version {head!.Version}";
                else if (stored is null)
                    reason = "hash is missing";
                else
                {
                    var canonical = CanonicalForm(stream, version, r.GetString(3), r.GetString(4),
                        r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6),
                        r.IsDBNull(7) ? null : r.GetString(7), r.GetFieldValue<DateTime>(8));
                    if (!Hash(head?.Hash ?? [], canonical).AsSpan().SequenceEqual(stored))
                        reason = "hash does not match the event's content";
                }
                if (reason is not null) first ??= new Break(seq, stream, version, reason);

                if (head is null) heads[stream] = new Head(version, seq, stored ?? []);
                else (head.Version, head.Sequence, head.Hash) = (version, seq, stored ?? []);
            }
        }

        await using (var cmd = dataSource.CreateCommand($"select id, version from {schema}.mt_streams"))
        {
            cmd.CommandTimeout = 0;
            await using var r = await cmd.ExecuteReaderAsync(ct);
            var listed = new HashSet<string>(StringComparer.Ordinal);
            while (await r.ReadAsync(ct))
            {
                var stream = r.GetString(0);
                var version = r.GetInt64(1);
                listed.Add(stream);
                heads.TryGetValue(stream, out var head);
                if ((head?.Version ?? 0) != version)
                    first = Earlier(first, new Break(head?.Sequence ?? 0, stream, head?.Version,
                        $"stream is at version {version}, its last event at {head?.Version ?? 0}"));
            }
            foreach (var (stream, head) in heads.Where(h => !listed.Contains(h.Key)))
                first = Earlier(first, new Break(head.Sequence, stream, head.Version, "stream is missing from mt_streams"));
        }

        return first is null
            ? new IntegrityReport(count, true, null, null, null, null)
            : new IntegrityReport(count, false, first.Sequence, first.Stream, first.Version, first.Reason);
    }

    private static Break Earlier(Break? a, Break b) => a is null || b.Sequence < a.Sequence ? b : a;

    private static byte[] Hash(byte[] previous, string canonical)
    {
        var bytes = Encoding.UTF8.GetBytes(canonical);
        var input = new byte[previous.Length + bytes.Length];
        previous.CopyTo(input, 0);
        bytes.CopyTo(input, previous.Length);
        return SHA256.HashData(input);
    }

    /// <summary>The database's canonical form (see ge_event_hash): jsonb values as PostgreSQL prints them.</summary>
    private static string CanonicalForm(string stream, long version, string type, string data,
        string? correlationId, string? causationId, string? headers, DateTime timestamp)
    {
        var micros = (timestamp.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) / 10;
        return string.Create(CultureInfo.InvariantCulture,
            $"[{Json(stream)}, {version}, {Json(type)}, {data}, [{Json(correlationId)}, {Json(causationId)}, {headers ?? "null"}], {micros}]");
    }

    // PostgreSQL's escape_json, as to_json(text) prints a string.
    private static string Json(string? value)
    {
        if (value is null) return "null";
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case < ' ': sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('"').ToString();
    }
}
