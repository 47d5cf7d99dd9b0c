namespace GovEvents.Api.Dev;

/// <summary>
/// One time-driven check that POST /api/dev/sweep runs at once instead of waiting for its schedule
/// (due timers such as deemed acceptance or deemed consent, alert evaluation). Steps run in
/// registration order, as the system actor.
/// </summary>
public interface ISweepStep
{
    /// <summary>Stable name, shown in the sweep's response.</summary>
    string Name { get; }

    Task<SweepStepOutcome> RunAsync(DateTimeOffset now, CancellationToken ct);
}

/// <summary>What one step did: how many items it handled, and anything worth telling.</summary>
public sealed record SweepStepOutcome(int Processed, string? Detail = null);
