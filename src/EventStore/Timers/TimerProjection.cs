using Npgsql;
using NpgsqlTypes;

namespace GovEvents.EventStore;

/// <summary>
/// Keeps {schema}.timers in step with the events, inline in the appending transaction, so a timer
/// exists exactly when the committed history says it should. Keyed by (stream, kind): scheduling
/// again replaces the row (and forgets earlier failures), a null due time deletes it. Each write
/// only wins over a row set by an earlier event (scheduled_by_seq), so order within a batch holds.
/// Add it to <see cref="EventStoreOptions.InlineProjections"/>.
/// </summary>
public sealed class TimerProjection(TimerRegistry registry) : IProjection
{
    public const string TableName = "timers";

    public string Name => "timers";

    // Created by migration 0002 as well; declared so that a rebuild can create its shadow copy.
    public IReadOnlyList<ProjectionTable> Tables { get; } =
    [
        new(TableName, """
            create table if not exists {table} (
                stream_id   text not null,
                kind        text not null,
                due_at      timestamptz not null,
                payload     jsonb,
                scheduled_by_seq bigint not null,
                attempts    integer not null default 0,
                last_error  text,
                retry_at    timestamptz,
                primary key (stream_id, kind)
            )
            """),
    ];

    public async Task ApplyAsync(IReadOnlyList<StoredEvent> events, ProjectionContext context, CancellationToken ct)
    {
        var table = context.Table(TableName);
        NpgsqlBatch? batch = null;
        try
        {
            foreach (var e in events)
            {
                foreach (var instruction in registry.InstructionsFor(e))
                {
                    batch ??= new NpgsqlBatch(context.Connection, context.Transaction);
                    batch.BatchCommands.Add(instruction.DueAt is { } dueAt
                        ? Schedule(table, e, instruction, dueAt, context.Serializer)
                        : Cancel(table, e, instruction));
                }
            }
            // Most events schedule nothing: no round trip for them.
            if (batch is not null) await batch.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            if (batch is not null) await batch.DisposeAsync();
        }
    }

    private static NpgsqlBatchCommand Schedule(string table, StoredEvent e, TimerInstruction instruction, DateTimeOffset dueAt, EventSerializer serializer)
    {
        var cmd = new NpgsqlBatchCommand($"""
            insert into {table} as t (stream_id, kind, due_at, payload, scheduled_by_seq)
            values ($1, $2, $3, $4, $5)
            on conflict (stream_id, kind) do update
               set due_at = excluded.due_at, payload = excluded.payload, scheduled_by_seq = excluded.scheduled_by_seq,
                   attempts = 0, last_error = null, retry_at = null
             where t.scheduled_by_seq < excluded.scheduled_by_seq
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.StreamId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = instruction.Kind });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = dueAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter
        {
            Value = instruction.Payload is null ? DBNull.Value : serializer.Serialize(instruction.Payload),
            NpgsqlDbType = NpgsqlDbType.Jsonb,
        });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = e.Sequence });
        return cmd;
    }

    private static NpgsqlBatchCommand Cancel(string table, StoredEvent e, TimerInstruction instruction)
    {
        var cmd = new NpgsqlBatchCommand($"delete from {table} where stream_id = $1 and kind = $2 and scheduled_by_seq < $3");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.StreamId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = instruction.Kind });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = e.Sequence });
        return cmd;
    }
}
