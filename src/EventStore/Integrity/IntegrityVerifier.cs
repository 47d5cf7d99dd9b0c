using Npgsql;

namespace GovEvents.EventStore;

public sealed record IntegrityReport(long VerifiedEvents, bool Ok, long? FirstBrokenSequence, string? FirstBrokenStream, string? Reason);

/// <summary>
/// Walks every stream's hash chain: each event's hash must equal SHA-256 of the previous stored
/// hash and its own canonical form, no version may be missing, and each stream's head hash must be
/// its last event's. Reports the first broken event in global sequence order.
/// </summary>
public sealed class IntegrityVerifier(NpgsqlDataSource dataSource, string schema)
{
    public async Task<IntegrityReport> VerifyAsync(CancellationToken ct = default)
    {
        var sql = $"""
            with checked as (
                select e.seq, e.stream_id,
                       case
                         when e.version > 1 and p.seq is null then 'version ' || (e.version - 1) || ' is missing'
                         when e.hash <> {schema}.event_hash(p.hash, e.stream_id, e.version, e.type, e.data, e.metadata, e."timestamp")
                           then 'hash does not match the event''s content'
                       end as reason
                  from {schema}.events e
                  left join {schema}.events p on p.stream_id = e.stream_id and p.version = e.version - 1
            ),
            heads as (
                select coalesce(last.seq, 0) as seq, s.id as stream_id,
                       'stream head does not match its last event' as reason
                  from {schema}.streams s
                  left join {schema}.events last on last.stream_id = s.id and last.version = s.version
                 where last.seq is null or last.hash <> s.head_hash
                    or exists (select 1 from {schema}.events later where later.stream_id = s.id and later.version > s.version)
            ),
            broken as (
                select seq, stream_id, reason from checked where reason is not null
                union all select seq, stream_id, reason from heads
            )
            select (select count(*) from {schema}.events),
                   b.seq, b.stream_id, b.reason
              from (select 1) one
              left join lateral (select * from broken order by seq limit 1) b on true
            """;
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.CommandTimeout = 0;
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var count = r.GetInt64(0);
        if (r.IsDBNull(1)) return new IntegrityReport(count, true, null, null, null);
        return new IntegrityReport(count, false, r.GetInt64(1), r.GetString(2), r.GetString(3));
    }
}
