using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Npgsql;
using Shouldly;

namespace GovEvents.Store.Tests.TamperEvidence;

public sealed class HashChainTests(StoreFixture db) : Xunit.IClassFixture<StoreFixture>
{
    [Fact]
    public async Task Every_event_appended_through_Marten_is_hashed_onto_the_previous_event_of_its_stream()
    {
        var at = db.Time.GetUtcNow();
        var first = "办件-" + Guid.NewGuid().ToString("N");
        var second = "case \"quoted\" \\ " + Guid.NewGuid().ToString("N");
        await using (var session = db.Store.LightweightSession())
        {
            session.Events.StartStream(first, new CaseFiled(first, "餐饮许可", at), new CaseNoteAdded(first, "材料齐全", 10.50m, at));
            session.Events.StartStream(second, new CaseFiled(second, "line\nbreak", at));
            await session.SaveChangesAsync();
        }
        await using (var session = db.Store.LightweightSession())
        {
            session.CorrelationId = "corr-\"1\"";
            session.CausationId = "窗口";
            session.SetHeader("actor", "u-1");
            // Marten's expected version is the stream's version once these events are appended.
            session.Events.Append(first, 4, new CaseNoteAdded(first, "补正", 0m, at), new CaseNoteAdded(first, "受理", 1m, at));
            session.Events.Append(second, 2, new CaseNoteAdded(second, "x", 2m, at));
            await session.SaveChangesAsync();
        }

        var rows = await ReadAsync(first, second);

        rows.Count.ShouldBe(6);
        rows.Count(r => r.Stream == first).ShouldBe(4);
        rows.Where(r => r.CorrelationId is not null).Select(r => r.Stream).ShouldBe([first, first, second]);
        var heads = new Dictionary<string, byte[]>();
        foreach (var row in rows)
        {
            row.Hash.ShouldNotBeNull($"event {row.Sequence} has no hash");
            var expected = SHA256.HashData([.. heads.GetValueOrDefault(row.Stream, []), .. Encoding.UTF8.GetBytes(row.CanonicalForm())]);
            Convert.ToHexString(row.Hash).ShouldBe(Convert.ToHexString(expected), $"event {row.Sequence} ({row.Stream} v{row.Version})");
            heads[row.Stream] = row.Hash;
        }
        heads[first].ShouldNotBe(heads[second]);
    }

    private sealed record Row(long Sequence, string Stream, long Version, string Type, string Data,
        string? CorrelationId, string? CausationId, string? Headers, DateTime Timestamp, byte[]? Hash)
    {
        private static readonly JsonSerializerOptions Strings = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        private static string Json(string? s) => s is null ? "null" : JsonSerializer.Serialize(s, Strings);

        // [stream, version, type, data, [correlation, causation, headers], microseconds since the epoch], data and headers as jsonb prints them.
        public string CanonicalForm() => string.Create(CultureInfo.InvariantCulture,
            $"[{Json(Stream)}, {Version}, {Json(Type)}, {Data}, [{Json(CorrelationId)}, {Json(CausationId)}, {Headers ?? "null"}], {(Timestamp - DateTime.UnixEpoch).Ticks / 10}]");
    }

    private async Task<List<Row>> ReadAsync(params string[] streams)
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"""
            select e.seq_id, e.stream_id, e.version, e.type, e.data::text, e.correlation_id, e.causation_id, e.headers::text, e."timestamp", h.hash
              from {StoreFixture.Schema}.mt_events e left join {StoreFixture.Schema}.ge_event_hashes h on h.seq_id = e.seq_id
             where e.stream_id = any($1) order by e.seq_id
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = streams });
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<Row>();
        while (await r.ReadAsync())
            rows.Add(new Row(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetString(4),
                r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7),
                r.GetFieldValue<DateTime>(8), r.IsDBNull(9) ? null : r.GetFieldValue<byte[]>(9)));
        return rows;
    }
}
