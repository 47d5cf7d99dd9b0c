using GovEvents.Domain;
using GovEvents.Domain.Cases;
using GovEvents.Domain.Time;
using GovEvents.Api.Commands;
using GovEvents.Store;

namespace GovEvents.Api.Cases;

/// <summary>
/// Case commands on the one command pipeline (<see cref="Commands.Commands"/>): the case's kind of
/// stream, the clock a decision is taken by, and the case as it stands for reads.
/// </summary>
public sealed class CaseCommands(EventLog store, Commands.Commands commands, ReferenceData reference, TimeProvider time, HallClock hall)
{
    public const string StreamType = "case";

    public static readonly StreamKind<Case> Kind = new("case", Case.Initial, Case.Evolve)
    {
        Status = state => CaseDecider.Kebab(state.Status),
        WithMetadata = WithMetadata,
    };

    public async Task<CaseClock> ClockAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var today = hall.DateOf(now);
        return new CaseClock(TimeZoneInfo.ConvertTime(now, hall.Zone), today, await reference.CalendarAsync(today, ct));
    }

    public Task<Aggregate<Case>?> LoadAsync(string caseId, CancellationToken ct) =>
        store.AggregateStreamAsync(caseId, Case.Initial, Case.Evolve, ct: ct);

    /// <summary>Judges the case by <paramref name="decide"/> on the pipeline; a case the caller may not see is not found.</summary>
    public Task<CommandOutcome> HandleAsync(string caseId, int? ifMatch, Func<Case, CaseClock, Task<Decision>> decide, CancellationToken ct, Func<Case, bool>? visible = null) =>
        commands.DecideAsync(Kind, caseId, async state => await decide(state, await ClockAsync(ct)),
            new CommandOptions<Case> { IfMatch = ifMatch, Visible = visible }, ct);

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
    public Task<CommandOutcome> StartAsync(string caseId, Decision decision, CancellationToken ct) =>
        commands.DecideAsync(Kind, caseId, _ => decision, new CommandOptions<Case> { MayStart = true }, ct);
}
