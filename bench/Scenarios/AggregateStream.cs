using GovEvents.Bench.Measure;
using GovEvents.Bench.Workload;
using GovEvents.Bench.Stores;
using GovEvents.Store;
using Marten;
using Npgsql;

namespace GovEvents.Bench.Scenarios;

/// <summary>Read a 20-event stream and fold it into its state; writers pick streams at random from a pool.</summary>
public static class AggregateStream
{
    public const string Title = "aggregate 20-event stream";
    public const int EventsPerStream = 20;
    public const int PoolStreams = 500;

    /// <summary>Select the stream's events in version order, deserialize each with Newtonsoft.Json by its alias, fold.</summary>
    public sealed class Raw(NpgsqlDataSource db, string[] pool, bool prepare) : ISide
    {
        private static readonly string ReadSql = $"select type, data from {BenchDatabase.RawSchema}.events where stream_id = $1 order by version";

        public Task<Operation> CreateWriterAsync(int writer, CancellationToken ct)
        {
            var random = new Random(writer);
            return Task.FromResult<Operation>(async () =>
            {
                var id = pool[random.Next(pool.Length)];
                await using var conn = await db.OpenConnectionAsync(ct);
                await using var cmd = new NpgsqlCommand(ReadSql, conn);
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
                if (prepare) await cmd.PrepareAsync(ct);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                var state = CaseSummary.Empty;
                var count = 0;
                while (await r.ReadAsync(ct))
                {
                    state = CaseSummary.Evolve(state, RawJson.Deserialize(r, 1, CaseEventTypes.ByAlias[r.GetString(0)]));
                    count++;
                }
                if (count != EventsPerStream) throw new InvalidOperationException($"raw aggregate: {id} has {count} events");
            });
        }
    }

    /// <summary>As a command loads its aggregate: <see cref="EventLog.AggregateStreamAsync{T}"/> (FetchStreamAsync, fold).</summary>
    public sealed class Store(EventLog log, string[] pool) : ISide
    {
        public Task<Operation> CreateWriterAsync(int writer, CancellationToken ct)
        {
            var random = new Random(writer);
            return Task.FromResult<Operation>(async () =>
            {
                var id = pool[random.Next(pool.Length)];
                var aggregate = await log.AggregateStreamAsync(id, CaseSummary.Empty, CaseSummary.Evolve, ct: ct);
                if (aggregate?.Version != EventsPerStream) throw new InvalidOperationException($"store aggregate: {id} is at {aggregate?.Version}");
            });
        }
    }

    /// <summary>
    /// Lever: an inline snapshot kept by the append, so a command loads one document instead of folding 20 events.
    /// Every load is checked whole (id, version and every field of the state) against the fold of the seeded events.
    /// </summary>
    public sealed class Snapshot(BenchStore store, string[] pool) : ISide
    {
        private readonly Dictionary<string, CaseSnapshot> _expected =
            pool.ToDictionary(id => id, id => CaseSnapshot.Expected(id, Shared.Seed(id), EventsPerStream));

        public Task<Operation> CreateWriterAsync(int writer, CancellationToken ct)
        {
            var random = new Random(writer);
            return Task.FromResult<Operation>(async () =>
            {
                var id = pool[random.Next(pool.Length)];
                await using var session = store.Store.QuerySession();
                var doc = await session.LoadAsync<CaseSnapshot>(id, ct);
                var expected = _expected[id];
                if (doc is null || !doc.SameAs(expected))
                    throw new InvalidOperationException($"snapshot {id}: {(doc is null ? "missing" : RawJson.Serialize(doc))}, expected {RawJson.Serialize(expected)}");
            });
        }
    }

    /// <summary>Raw rows in bench_raw, 20-event streams of the same sample events.</summary>
    public static async Task<string[]> SeedRawAsync(NpgsqlDataSource raw, CancellationToken ct)
    {
        var ids = new List<string>();
        for (var done = 0; done < PoolStreams; done += 50)
            ids.AddRange(await RawSeed.StreamsAsync(raw, "rawagg", 50, EventsPerStream, ct));
        return ids.ToArray();
    }

    /// <summary>The same streams through <see cref="EventLog"/>, 50 per transaction.</summary>
    public static async Task<string[]> SeedAsync(EventLog log, CancellationToken ct)
    {
        var storeIds = new List<string>();
        for (var done = 0; done < PoolStreams; done += 50)
        {
            var ids = Enumerable.Range(0, 50).Select(_ => Shared.NewStreamId("storeagg")).ToArray();
            await log.AppendAsync(ids.Select(id => new StreamAppend(id, ExpectedVersion.New,
                Enumerable.Range(1, EventsPerStream).Select(n => CaseSamples.Event(id, Shared.Seed(id), n)).ToList())).ToList(), ct);
            storeIds.AddRange(ids);
        }
        return storeIds.ToArray();
    }
}
