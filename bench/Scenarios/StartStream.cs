using GovEvents.Bench.Measure;
using GovEvents.Bench.Workload;
using GovEvents.Store;
using Npgsql;
using NpgsqlTypes;

namespace GovEvents.Bench.Scenarios;

/// <summary>Start a new stream with one event (an application submitted).</summary>
public static class StartStream
{
    public const string Title = "start stream (1 event)";

    /// <summary>One implicit transaction, one round trip: insert the stream row and the event row.</summary>
    public sealed class Raw(NpgsqlDataSource db, bool prepare) : ISide
    {
        private static readonly string InsertStream =
            $"insert into {BenchDatabase.RawSchema}.streams (id, type, version, head_hash, created, updated) values ($1, $2, 1, ''::bytea, $3, $3)";
        private static readonly string InsertEvent =
            $"insert into {BenchDatabase.RawSchema}.events (id, stream_id, version, type, data, metadata, \"timestamp\", hash) values ($1, $2, 1, $3, $4, $5, $6, ''::bytea)";

        public Task<Operation> CreateWriterAsync(int writer, CancellationToken ct) => Task.FromResult<Operation>(async () =>
        {
            var id = Shared.NewStreamId("raw");
            var e = CaseSamples.Submitted(id, Shared.Seed(id));
            var now = DateTimeOffset.UtcNow;
            await using var conn = await db.OpenConnectionAsync(ct);
            await using var batch = new NpgsqlBatch(conn);
            var s = new NpgsqlBatchCommand(InsertStream);
            s.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
            s.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Shared.StreamType });
            s.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            batch.BatchCommands.Add(s);
            var ev = new NpgsqlBatchCommand(InsertEvent);
            ev.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7(now) });
            ev.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
            ev.Parameters.Add(new NpgsqlParameter<string> { TypedValue = CaseEventTypes.AliasOf[e.GetType()] });
            ev.Parameters.Add(new NpgsqlParameter<string> { TypedValue = RawJson.Serialize(e), NpgsqlDbType = NpgsqlDbType.Jsonb });
            ev.Parameters.Add(new NpgsqlParameter<string> { TypedValue = RawJson.Serialize(Shared.Metadata), NpgsqlDbType = NpgsqlDbType.Jsonb });
            ev.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            batch.BatchCommands.Add(ev);
            if (prepare) await batch.PrepareAsync(ct);
            await batch.ExecuteNonQueryAsync(ct);
        });
    }

    /// <summary><see cref="EventLog.StartStreamAsync"/>: a lightweight session, StartStream, SaveChangesAsync.</summary>
    public sealed class Store(EventLog log) : ISide
    {
        public Task<Operation> CreateWriterAsync(int writer, CancellationToken ct) => Task.FromResult<Operation>(async () =>
        {
            var id = Shared.NewStreamId("store");
            await log.StartStreamAsync(id, [CaseSamples.Submitted(id, Shared.Seed(id))], ct);
        });
    }
}
