using GovEvents.Store;
using GovEvents.Projections.Cases;
using Marten;

namespace GovEvents.Api.Supervision;

/// <summary>The stored case views the supervision reads are computed from, of one department or all.</summary>
internal static class CaseViews
{
    public static async IAsyncEnumerable<CaseView> ReadAsync(EventLog store, string? departmentCode,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var session = store.Store.QuerySession();
        var query = departmentCode is null ? session.Query<CaseView>() : session.Query<CaseView>().Where(v => v.DepartmentCode == departmentCode);
        await foreach (var view in query.ToAsyncEnumerable(ct))
            yield return view;
    }
}
