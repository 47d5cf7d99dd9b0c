using GovEvents.Domain;
using GovEvents.Domain.Cases;
using GovEvents.Domain.Time;
using GovEvents.Store;

namespace GovEvents.Api.Cases;

/// <summary>The outcome of a command, mapped once to HTTP by the endpoints.</summary>
public abstract record CommandOutcome
{
    public sealed record Done(string Id, int Version, string Status, IReadOnlyList<object> Events) : CommandOutcome;
    public sealed record Refused(Refusal Refusal) : CommandOutcome;
    public sealed record NotFound(string Id) : CommandOutcome;
    public sealed record VersionMismatch(string Id, int Expected, int Actual) : CommandOutcome;
}

/// <summary>
/// The handler pipeline for case commands: fold the stream, let the pure decider judge, append
/// at the version it judged. A concurrent change makes it judge again on fresh state, unless the
/// client pinned a version with If-Match, in which case it is told (409).
/// </summary>
public sealed class CaseCommandHandler(EventLog store, ReferenceData reference, TimeProvider time, HallClock hall)
{
    public const string StreamType = "case";
    private const int Attempts = 3;

    public async Task<CaseClock> ClockAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var today = hall.DateOf(now);
        return new CaseClock(TimeZoneInfo.ConvertTime(now, hall.Zone), today, await reference.CalendarAsync(today, ct));
    }

    public Task<Aggregate<Case>?> LoadAsync(string caseId, CancellationToken ct) =>
        store.AggregateStreamAsync(caseId, Case.Initial, Case.Evolve, ct: ct);

    public async Task<CommandOutcome> HandleAsync(string caseId, int? ifMatch, Func<Case, CaseClock, Task<Decision>> decide, CancellationToken ct, Func<Case, bool>? visible = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var loaded = await LoadAsync(caseId, ct);
            if (loaded is null || visible?.Invoke(loaded.State) == false) return new CommandOutcome.NotFound(caseId);
            if (ifMatch is { } expected && expected != loaded.Version)
                return new CommandOutcome.VersionMismatch(caseId, expected, loaded.Version);

            var decision = await decide(loaded.State, await ClockAsync(ct));
            if (decision.Refusal is { } refusal) return new CommandOutcome.Refused(refusal);
            if (decision.Events.Count == 0)
                return new CommandOutcome.Done(caseId, loaded.Version, CaseDecider.Kebab(loaded.State.Status), []);
            try
            {
                var result = await store.AppendAsync(caseId, loaded.Version, WithMetadata(decision.Events), ct);
                var state = decision.Events.Aggregate(loaded.State, Case.Evolve);
                return new CommandOutcome.Done(caseId, result, CaseDecider.Kebab(state.Status), decision.Events);
            }
            catch (ConcurrencyException) when (ifMatch is null && attempt < Attempts)
            {
                // Someone else appended first: judge again on the fresh state.
            }
            catch (ConcurrencyException ex)
            {
                return new CommandOutcome.VersionMismatch(caseId, loaded.Version, ex.Actual ?? -1);
            }
        }
    }

    /// <summary>
    /// Where an event's metadata differs from the caller's: a signature names the delegation it
    /// relied on (audit), and what the system decided in the caller's request (秒批: acceptance,
    /// approval, licence) is recorded as the system's act, in the same correlation.
    /// </summary>
    private static IReadOnlyList<object> WithMetadata(IReadOnlyList<object> events)
    {
        var caller = EventContext.Current;
        var bySystem = events.OfType<CaseApproved>().Any(a => a.DecidedBy == CaseDecider.SystemActor);
        var system = EventMetadata.System with { CorrelationId = caller.CorrelationId, CausationId = caller.CausationId };
        return events.Select(e => e switch
        {
            SignatureRecorded { DelegationId: { } delegation } => new EventToAppend(e, caller with { DelegationId = delegation }),
            CaseSubmitted => e,
            _ when bySystem => new EventToAppend(e, system),
            _ => e,
        }).ToList();
    }

    /// <summary>Starts a case stream with the events of a submission decision.</summary>
    public async Task<CommandOutcome> StartAsync(string caseId, Decision decision, CancellationToken ct)
    {
        if (decision.Refusal is { } refusal) return new CommandOutcome.Refused(refusal);
        var result = await store.StartStreamAsync(caseId, WithMetadata(decision.Events), ct);
        var state = decision.Events.Aggregate(Case.Initial, Case.Evolve);
        return new CommandOutcome.Done(caseId, result, CaseDecider.Kebab(state.Status), decision.Events);
    }
}
