using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GovEvents.Domain.Audit;
using Npgsql;

namespace GovEvents.Store.TamperEvidence;

/// <param name="VerifiedEvents">Events read from mt_events.</param>
/// <param name="Ok">Every chain and every stream head verified.</param>
/// <param name="FirstBrokenSequence">Global sequence of the first broken event (0 for a stream whose events are all gone).</param>
public sealed record IntegrityReport(
    long VerifiedEvents, bool Ok, long? FirstBrokenSequence, string? FirstBrokenStream, long? FirstBrokenVersion, string? Reason)
{
    /// <summary>Seals were checked: a seal key is configured. Without one the chains alone were verified.</summary>
    public bool Sealing { get; init; }

    /// <summary>Authentic seals (their MAC verified) the events were checked against.</summary>
    public int Seals { get; init; }

    /// <summary>The sequence the latest authentic seal reached: events after it are verified by their chains alone.</summary>
    public long? SealedThrough { get; init; }
}

/// <summary>
/// Recomputes every stream's hash chain in global sequence order, in C# and independently of the database's
/// own hash function: each event's stored hash must equal SHA-256 of the previous stored hash of its stream and
/// its canonical form, no version may be missing, every hash must have its event, and every stream's version
/// must be its last event's. With seal keys, the events are then checked against every authentic seal
/// (<see cref="SealCheck"/>): what a superuser rewrote and re-hashed with the schema's own function, or deleted
/// from the newest events, no longer matches the seal. Reports the first broken event by global sequence.
/// </summary>
/// <param name="keys">The seal keys; none: seals are not checked (the report says so).</param>
/// <param name="exported">Copies of seals kept outside the database (the export directory): a seal the event store
/// lost or holds differently is reported, and its copy is what the events are checked against.</param>
public sealed class IntegrityVerifier(NpgsqlDataSource dataSource, string schema, SealKeys? keys = null,
    IReadOnlyList<HistorySealed>? exported = null)
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
        var seals = keys is null ? null : new SealCheck(keys, await ReadSealsAsync(ct), exported ?? []);

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
                    seals?.Row(seq, null, null, null);
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
                seals?.Row(seq, stream, version, stored);

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

        if (seals is not null && seals.End() is { } sealBreak) first = Earlier(first, sealBreak);

        var report = first is null
            ? new IntegrityReport(count, true, null, null, null, null)
            : new IntegrityReport(count, false, first.Sequence, first.Stream, first.Version, first.Reason);
        return report with { Sealing = seals is not null, Seals = seals?.Authentic ?? 0, SealedThrough = seals?.SealedThrough };
    }

    private async Task<List<(long Sequence, long Version, HistorySealed? Seal)>> ReadSealsAsync(CancellationToken ct)
    {
        var serializer = new Serialization.NewtonsoftSerializer();
        var seals = new List<(long, long, HistorySealed?)>();
        await using var cmd = dataSource.CreateCommand(
            $"select seq_id, version, data::text from {schema}.mt_events where stream_id = $1 and type = $2 order by version, seq_id");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = HistorySeals.StreamId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = HistorySealEventNames.All.Single(n => n.Type == typeof(HistorySealed)).Name });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            HistorySealed? seal;
            try
            {
                using var json = new MemoryStream(Encoding.UTF8.GetBytes(r.GetString(2)));
                seal = serializer.FromJson<HistorySealed>(json);
            }
            catch (Exception e) when (e is Newtonsoft.Json.JsonException or ArgumentException or InvalidCastException)
            {
                seal = null;
            }
            seals.Add((r.GetInt64(0), r.GetInt64(1), seal));
        }
        return seals;
    }

    /// <summary>
    /// The events, in global sequence order, against the authentic seals: every event a seal lists must still be
    /// there with the hash the seal fingerprinted, no event may have appeared where the seal saw none, and each
    /// seal's digest must come out the same. Seals are taken in number order until the first that is not
    /// authentic (unknown key, MAC that does not verify, unreadable, out of order): that one is reported.
    /// </summary>
    private sealed class SealCheck
    {
        private readonly List<Window> _windows = [];
        private int _current;
        private Break? _first;

        public SealCheck(SealKeys keys, List<(long Sequence, long Version, HistorySealed? Seal)> stored, IReadOnlyList<HistorySealed> exported)
        {
            var byNumber = stored.GroupBy(s => s.Version).ToDictionary(g => g.Key, g => g.First());
            var copies = exported.GroupBy(s => s.Number).ToDictionary(g => g.Key, g => g.First());
            var last = Math.Max(byNumber.Keys.DefaultIfEmpty(0).Max(), copies.Keys.DefaultIfEmpty(0).Max());
            long after = 0;
            var previousDigest = SealDigest.Genesis;
            for (long number = 1; number <= last; number++)
            {
                var inStore = byNumber.TryGetValue(number, out var s) ? s : default((long Sequence, long Version, HistorySealed? Seal)?);
                copies.TryGetValue(number, out var copy);
                var seal = copy ?? inStore?.Seal;
                var at = inStore?.Sequence ?? (seal?.ThroughSequence ?? after) + 1;
                if (inStore is null)
                    Report(new Break(at, HistorySeals.StreamId, number,
                        $"seal {number} is missing from the event store (its exported copy remains; its event came after sequence {at - 1})"));
                else if (copy is not null && inStore.Value.Seal is { } own && !SameSeal(own, copy))
                    Report(new Break(at, HistorySeals.StreamId, number, $"seal {number} differs from its exported copy"));

                string? refusal = seal switch
                {
                    null or { Missing: null } or { Fingerprints: null } or { Digest: null } or { KeyId: null } or { Mac: null } => "cannot be read",
                    _ when seal.Number != number => $"says it is seal {seal.Number}",
                    _ when !keys.Knows(seal.KeyId) => $"is signed with key '{seal.KeyId}', which is not configured",
                    _ when !keys.Verifies(seal) => $"does not verify under key '{seal.KeyId}': not made by the application, or altered",
                    _ when seal.AfterSequence != after || seal.ThroughSequence < seal.AfterSequence =>
                        $"does not follow seal {number - 1} (it starts after sequence {seal.AfterSequence}, not {after})",
                    _ => null,
                };
                if (refusal is not null)
                {
                    Report(new Break(at, HistorySeals.StreamId, number, $"seal {number} {refusal}"));
                    break;
                }
                // Whole and authentic from here on (the refusals above read every field).
                _windows.Add(new Window(seal!, previousDigest, at));
                after = seal!.ThroughSequence;
                previousDigest = seal.Digest!;
            }
            Authentic = _windows.Count;
            SealedThrough = _windows.Count == 0 ? null : _windows[^1].Seal.ThroughSequence;
        }

        public int Authentic { get; }

        public long? SealedThrough { get; }

        private static bool SameSeal(HistorySealed a, HistorySealed b) =>
            a with { Missing = [] } == b with { Missing = [] } && (a.Missing ?? []).SequenceEqual(b.Missing ?? []);

        /// <summary>The next row of mt_events joined with the hashes (stream null: an event gone, its hash left).</summary>
        public void Row(long sequence, string? stream, long? version, byte[]? hash)
        {
            Window? window = null;
            while (_current < _windows.Count)
            {
                window = _windows[_current];
                while (window.NextExpected is { } expected && expected < sequence)
                    window.Skip(this, expected);
                if (sequence <= window.Seal.ThroughSequence) break;
                window.Finish(this);
                _current++;
                window = null;
            }
            window?.Take(this, sequence, stream, version, hash);
        }

        /// <summary>After the last row: what the seals list and is gone (the newest events deleted), and the digests.</summary>
        public Break? End()
        {
            for (; _current < _windows.Count; _current++)
            {
                var window = _windows[_current];
                while (window.NextExpected is { } expected) window.Skip(this, expected);
                window.Finish(this);
            }
            return _first;
        }

        private void Report(Break b) => _first = Earlier(_first, b);

        private sealed class Window
        {
            private readonly HashSet<long> _missing;
            private readonly byte[] _fingerprints;
            private readonly SealDigest _digest;
            private readonly long _sealSequence;
            private long _next;
            private int _index;

            public Window(HistorySealed seal, string previousDigest, long sealSequence)
            {
                Seal = seal;
                _missing = [.. seal.Missing];
                _fingerprints = FromBase64(seal.Fingerprints);
                _digest = new SealDigest(previousDigest);
                _sealSequence = sealSequence;
                _next = seal.AfterSequence + 1;
                Advance();
            }

            public HistorySealed Seal { get; }

            /// <summary>The next sequence this seal lists an event at; null when none is left.</summary>
            public long? NextExpected => _next <= Seal.ThroughSequence ? _next : null;

            private void Advance()
            {
                while (_next <= Seal.ThroughSequence && _missing.Contains(_next)) _next++;
            }

            public void Skip(SealCheck check, long sequence)
            {
                check.Report(new Break(sequence, null, null, $"event {sequence}, sealed by seal {Seal.Number}, is missing"));
                _digest.Add(sequence, null);
                _index++;
                _next++;
                Advance();
            }

            public void Take(SealCheck check, long sequence, string? stream, long? version, byte[]? hash)
            {
                if (sequence <= Seal.AfterSequence) return;
                if (_missing.Contains(sequence))
                {
                    if (stream is not null)
                        check.Report(new Break(sequence, stream, version,
                            $"no event was there when seal {Seal.Number} was made: inserted into sealed history"));
                    return;
                }
                var offset = _index * SealDigest.FingerprintBytes;
                if (stream is null)
                    check.Report(new Break(sequence, null, null, $"event {sequence}, sealed by seal {Seal.Number}, is missing"));
                else if (offset + SealDigest.FingerprintBytes > _fingerprints.Length
                         || !SealDigest.Fingerprint(hash).SequenceEqual(_fingerprints.AsSpan(offset, SealDigest.FingerprintBytes)))
                    check.Report(new Break(sequence, stream, version,
                        $"its history no longer matches seal {Seal.Number}: rewritten since it was sealed"));
                _digest.Add(sequence, hash);
                _index++;
                _next = sequence + 1;
                Advance();
            }

            public void Finish(SealCheck check)
            {
                if (_digest.Finish() != Seal.Digest || _index * SealDigest.FingerprintBytes != _fingerprints.Length)
                    check.Report(new Break(_sealSequence, HistorySeals.StreamId, Seal.Number,
                        $"the events through sequence {Seal.ThroughSequence} no longer give seal {Seal.Number}'s digest"));
                _digest.Dispose();
            }

            private static byte[] FromBase64(string text)
            {
                try { return Convert.FromBase64String(text); }
                catch (FormatException) { return []; }
            }
        }
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
