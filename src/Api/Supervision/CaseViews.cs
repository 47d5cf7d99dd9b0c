using GovEvents.EventStore;
using GovEvents.Projections.Cases;
using Npgsql;
using NpgsqlTypes;

namespace GovEvents.Api.Supervision;

/// <summary>The stored case views the supervision reads are computed from, of one department or all.</summary>
internal static class CaseViews
{
    public static async IAsyncEnumerable<CaseView> ReadAsync(PgEventStore store, string? departmentCode,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var cmd = store.DataSource.CreateCommand(
            $"select data from {store.Schema}.{CaseViewProjection.TableName} where $1::text is null or department_code = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)departmentCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            yield return store.Serializer.Deserialize<CaseView>(r.GetString(0))!;
    }
}
