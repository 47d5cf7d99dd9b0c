using GovEvents.Bench.Measure;
using GovEvents.Bench.Workload;
using GovEvents.Store;
using Npgsql;
using NpgsqlTypes;

namespace GovEvents.Bench.Scenarios;

/// <summary>
/// Append one event to an existing stream that must be at the version the writer last saw. Each
/// writer owns <see cref="StreamsPerWriter"/> streams and takes them in turn, so there are no
/// conflicts and no single hot row.
/// </summary>
public static class AppendExpected
{
    public const string Title = "append, expected version";
    public const int StreamsPerWriter = 10;

    /// <summary>
    /// One statement (one implicit transaction, one round trip): the version check is the UPDATE's
    /// WHERE, and the event is inserted only when it matched a row.
    /// </summary>
    public sealed class Raw(NpgsqlDataSource db, bool prepare) : ISide
    {
        private static readonly string AppendSql = $"""
            with s as (update {BenchDatabase.RawSchema}.streams set version = version + 1, updated = $3
                        where id = $1 and version = $2 returning version)
            insert into {BenchDatabase.RawSchema}.events (id, stream_id, version, type, data, metadata, "timestamp", hash)
            select $4, $1, s.version, $5, $6, $7, $3, ''::bytea from s
            returning seq
            """;

        public async Task<Operation> CreateWriterAsync(int writer, CancellationToken ct)
        {
            var streams = await RawSeed.StreamsAsync(db, "rawapp", StreamsPerWriter, 1, ct);
            var versions = new int[streams.Length];
            Array.Fill(versions, 1);
            var turn = 0;
            return async () =>
            {
                var k = turn++ % streams.Length;
                var id = streams[k];
                var e = CaseSamples.Event(id, Shared.Seed(id), versions[k] + 1);
                var now = DateTimeOffset.UtcNow;
                await using var conn = await db.OpenConnectionAsync(ct);
                await using var cmd = new NpgsqlCommand(AppendSql, conn);
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
                cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = versions[k] });
                cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
                cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7(now) });
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = CaseEventTypes.AliasOf[e.GetType()] });
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = RawJson.Serialize(e), NpgsqlDbType = NpgsqlDbType.Jsonb });
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = RawJson.Serialize(Shared.Metadata), NpgsqlDbType = NpgsqlDbType.Jsonb });
                if (prepare) await cmd.PrepareAsync(ct);
                if (await cmd.ExecuteScalarAsync(ct) is null)
                    throw new InvalidOperationException($"raw append: {id} was not at version {versions[k]}");
                versions[k]++;
            };
        }
    }

    /// <summary><see cref="EventLog.AppendAsync(string, ExpectedVersion, IEnumerable{object}, CancellationToken)"/>, as a command appends.</summary>
    public sealed class Store(EventLog log) : ISide
    {
        public async Task<Operation> CreateWriterAsync(int writer, CancellationToken ct)
        {
            var streams = Enumerable.Range(0, StreamsPerWriter).Select(_ => Shared.NewStreamId("storeapp")).ToArray();
            await log.AppendAsync(streams.Select(id => StreamAppend.Start(id, CaseSamples.Event(id, Shared.Seed(id), 1))).ToList(), ct);
            var versions = new int[streams.Length];
            Array.Fill(versions, 1);
            var turn = 0;
            return async () =>
            {
                var k = turn++ % streams.Length;
                var id = streams[k];
                versions[k] = await log.AppendAsync(id, ExpectedVersion.At(versions[k]), [CaseSamples.Event(id, Shared.Seed(id), versions[k] + 1)], ct);
            };
        }
    }
}
