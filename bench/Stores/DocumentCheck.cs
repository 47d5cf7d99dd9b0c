using GovEvents.Bench.Scenarios;
using Npgsql;
using NpgsqlTypes;

namespace GovEvents.Bench.Stores;

/// <summary>
/// Whole-document equality of a <see cref="CaseSnapshot"/> table with what its documents must be: each stored
/// <c>data</c> against the expected document serialized by the same serializer, compared as jsonb (id, version and
/// every field of the state; numbers by value, instants as written, a missing or extra key is a difference).
/// </summary>
public sealed record DocumentCheck(long Documents, long Expected, long Differ, string? Example, long? RawDiffer = null, long? DaemonRawDiffer = null)
{
    public bool Passed => Differ == 0 && Documents == Expected && RawDiffer is null or 0 && DaemonRawDiffer is null or 0;

    /// <summary>
    /// Compares <paramref name="docTable"/> with <paramref name="expected"/> (id → document); with <paramref name="rawTable"/>
    /// (id → state, the raw rebuild's), the raw documents with the expected states and with the table's states too.
    /// </summary>
    public static async Task<DocumentCheck> RunAsync(NpgsqlDataSource db, string docTable, IReadOnlyDictionary<string, CaseSnapshot> expected,
        string? rawTable, CancellationToken ct)
    {
        var differ = $"from e full join {docTable} s using (id) where s.data is distinct from e.data";
        var raw = rawTable is null
            ? "null::bigint, null::bigint"
            : $"""
               (select count(*) from e full join {rawTable} r using (id) where r.data is distinct from e.data -> 'state'),
               (select count(*) from {docTable} s full join {rawTable} r using (id) where s.data -> 'state' is distinct from r.data)
               """;
        await using var cmd = db.CreateCommand($"""
            with e as (select * from unnest($1::text[], $2::jsonb[]) as e(id, data))
            select (select count(*) from {docTable}),
                   (select count(*) {differ}),
                   (select id || ': stored ' || coalesce(s.data::text, 'none') || ', expected ' || coalesce(e.data::text, 'none') {differ} order by id limit 1),
                   {raw}
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = expected.Keys.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter<string[]>
        {
            TypedValue = expected.Values.Select(d => RawJson.Serialize(d)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
        });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new DocumentCheck(r.GetInt64(0), expected.Count, r.GetInt64(1), r.IsDBNull(2) ? null : r.GetString(2),
            r.IsDBNull(3) ? null : r.GetInt64(3), r.IsDBNull(4) ? null : r.GetInt64(4));
    }

    /// <summary>A short verdict for a table cell.</summary>
    public string Cell => Passed
        ? $"{Documents:N0} equal"
        : $"**{Differ:N0} of {Expected:N0} differ**{(Documents != Expected ? $" ({Documents:N0} stored)" : "")}" +
          (RawDiffer is > 0 ? $"; raw: {RawDiffer:N0} differ" : "") + (DaemonRawDiffer is > 0 ? $"; daemon ≠ raw: {DaemonRawDiffer:N0}" : "");

    public override string ToString() => Passed
        ? $"all {Documents:N0} documents equal the fold of their events, whole (id, version, every field of the state)" +
          (RawDiffer is null ? "" : ", as do the raw loop's states")
        : $"**mismatch**: {Cell.Replace("**", "")}, of {Documents:N0} stored; first: {Example}";
}
