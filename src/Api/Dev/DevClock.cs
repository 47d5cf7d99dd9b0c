namespace GovEvents.Api.Dev;

/// <summary>
/// The server clock in development mode: follows the system clock until set (PUT /api/dev/clock),
/// then stands still at the set instant until set again (backwards too) or released. Registered as
/// THE TimeProvider in development mode, so commands, token lifetimes and timers all see it.
/// </summary>
public sealed class DevClock : TimeProvider
{
    private readonly object _gate = new();
    private DateTimeOffset? _fixed;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _fixed ?? System.GetUtcNow();
    }

    /// <summary>True while the clock stands at a set instant.</summary>
    public bool IsSet
    {
        get { lock (_gate) return _fixed is not null; }
    }

    public void Set(DateTimeOffset now)
    {
        lock (_gate) _fixed = now.ToUniversalTime();
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate) _fixed = (_fixed ?? System.GetUtcNow()) + by;
    }

    /// <summary>Follows the system clock again.</summary>
    public void Release()
    {
        lock (_gate) _fixed = null;
    }
}
