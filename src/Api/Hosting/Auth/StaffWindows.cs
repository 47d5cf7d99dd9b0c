using System.Collections.Concurrent;
using GovEvents.Domain.Organisation;
using GovEvents.Store;

namespace GovEvents.Api.Hosting.Auth;

/// <summary>
/// The window a staff member sits at, as the organisation registered it (<see cref="StaffRegistered"/>).
/// The server's knowledge, never the client's word: a window named in a request header is ignored.
/// A registration is never changed by a later event, so a window once found is kept for the process's life.
/// </summary>
public sealed class StaffWindows(EventLog store)
{
    private readonly ConcurrentDictionary<string, string> _known = new(StringComparer.Ordinal);

    public async Task<string?> WindowOfAsync(string staffId, CancellationToken ct)
    {
        if (_known.TryGetValue(staffId, out var window)) return window;
        var history = await store.FetchStreamAsync($"staff-{staffId}", ct: ct);
        window = history.Select(e => e.Data).OfType<StaffRegistered>().FirstOrDefault()?.WindowCode;
        if (window is not null) _known[staffId] = window;
        return window;
    }
}
