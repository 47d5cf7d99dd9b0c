using System.Collections.Concurrent;
using GovEvents.Domain.Organisation;
using GovEvents.Store;

namespace GovEvents.Api.Hosting.Auth;

/// <summary>
/// The window a staff member sits at, as the organisation registered it (<see cref="StaffRegistered"/>).
/// The server's knowledge, never the client's word: a window named in a request header is ignored.
/// A registration is never changed by a later event, so what it says (a window, or none) is kept for the
/// process's life; a staff member not registered yet is looked up again after <see cref="UnregisteredFor"/>.
/// </summary>
public sealed class StaffWindows(EventLog store)
{
    public static readonly TimeSpan UnregisteredFor = TimeSpan.FromSeconds(30);

    private sealed record Known(string? Window, long? RetryAfterTicks);

    private readonly ConcurrentDictionary<string, Known> _known = new(StringComparer.Ordinal);

    public async Task<string?> WindowOfAsync(string staffId, CancellationToken ct)
    {
        if (_known.TryGetValue(staffId, out var known) && (known.RetryAfterTicks is not { } retry || Environment.TickCount64 < retry))
            return known.Window;
        var history = await store.FetchStreamAsync($"staff-{staffId}", ct: ct);
        var registration = history.Select(e => e.Data).OfType<StaffRegistered>().FirstOrDefault();
        _known[staffId] = registration is null
            ? new Known(null, Environment.TickCount64 + (long)UnregisteredFor.TotalMilliseconds)
            : new Known(registration.WindowCode, null);
        return registration?.WindowCode;
    }
}
