namespace GovEvents.Api.Health;

/// <summary>
/// Where /health/ready learns how far the async projections are behind. The projection daemon
/// registers an implementation; without one the readiness check reports that it has nothing to check.
/// </summary>
public interface IProjectionLagSource
{
    Task<IReadOnlyList<ProjectionLag>> ReadLagAsync(CancellationToken ct);
}

/// <summary>One projection: events behind the head, and whether it has stopped on a failing event.</summary>
public sealed record ProjectionLag(string Name, long Lag, bool Faulted);
