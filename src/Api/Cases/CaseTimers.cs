using GovEvents.Domain;
using GovEvents.Domain.Cases;
using GovEvents.Domain.Time;
using GovEvents.Store;
using GovEvents.Store.Timers;

namespace GovEvents.Api.Cases;

/// <summary>
/// The time-driven work of a case on the store's durable timers: deemed acceptance (ALL art. 32),
/// deemed consent of a silent participant (超时默认), and the records of overdue 容缺 materials and
/// post-checks. Each fires once; its handler reloads the case and lets the decider judge.
/// </summary>
public static class CaseTimers
{
    public const string DeemedAcceptance = "deemed-acceptance";
    public const string DeemedConsent = "deemed-consent";
    public const string DeferredOverdue = "deferred-overdue";
    public const string PostCheckOverdue = "post-check-overdue";
    public const string PromisedOverdue = "promised-overdue";
    public const string StatutoryOverdue = "statutory-overdue";
    public const string SuspensionOverrun = "suspension-overrun";

    public static TimerRegistry AddCaseTimers(this TimerRegistry timers, HallClock hall, Func<CaseCommands> handler)
    {
        // A deadline passes at the end of its day in the hall's zone.
        DateTimeOffset Due(DateOnly day) => hall.EndOf(day);

        timers
            .On<CaseSubmitted>(e => TimerInstruction.Schedule(DeemedAcceptance, Due(e.AcceptanceDueDate)))
            .On<SupplementRequested>(_ => TimerInstruction.Cancel(DeemedAcceptance))
            .On<MaterialsSupplemented>(e => e.AcceptanceDueDate is { } due
                ? [TimerInstruction.Schedule(DeemedAcceptance, Due(due))]
                : e.Materials.Select(m => TimerInstruction.Cancel($"{DeferredOverdue}:{m}")))
            .On<CaseAccepted>(e => e.Deferred
                .Select(d => TimerInstruction.Schedule($"{DeferredOverdue}:{d.Material}", Due(d.DueDate)))
                .Prepend(TimerInstruction.Cancel(DeemedAcceptance)))
            .On<CaseDeemedAccepted>(_ => TimerInstruction.Cancel(DeemedAcceptance))
            .On<CaseNotAccepted>(_ => TimerInstruction.Cancel(DeemedAcceptance))
            .On<CaseWithdrawn>(_ => TimerInstruction.Cancel(DeemedAcceptance))
            .On<ParallelReviewStarted>(e => e.Participants.Select(p => TimerInstruction.Schedule($"{DeemedConsent}:{p.DepartmentCode}", Due(p.DueDate))))
            .On<ParallelOpinionGiven>(e => TimerInstruction.Cancel($"{DeemedConsent}:{e.DepartmentCode}"))
            .On<ParallelConsentDeemed>(e => TimerInstruction.Cancel($"{DeemedConsent}:{e.DepartmentCode}"))
            .On<CaseApproved>(e => e.PostCheckDueDate is { } due ? [TimerInstruction.Schedule(PostCheckOverdue, Due(due))] : [])
            .On<PostCheckRecorded>(_ => TimerInstruction.Cancel(PostCheckOverdue));

        // 电子监察: the promised and statutory deadlines and a stop's stated days, watched for their alerts. A stop
        // that does not count toward the limit holds the deadlines (its resumption moves them); a decision or an end stops them.
        IEnumerable<TimerInstruction> Deadlines(DateOnly promised, DateOnly statutory) =>
            [TimerInstruction.Schedule(PromisedOverdue, Due(promised)), TimerInstruction.Schedule(StatutoryOverdue, Due(statutory))];
        TimerInstruction[] NoDeadlines = [TimerInstruction.Cancel(PromisedOverdue), TimerInstruction.Cancel(StatutoryOverdue)];
        TimerInstruction[] Ended = [.. NoDeadlines, TimerInstruction.Cancel(SuspensionOverrun)];
        timers
            .On<CaseAccepted>(e => Deadlines(e.PromisedDeadline, e.StatutoryDeadline))
            .On<CaseDeemedAccepted>(e => Deadlines(e.PromisedDeadline, e.StatutoryDeadline))
            .On<DeadlineExtended>(e => Deadlines(e.PromisedDeadline, e.StatutoryDeadline))
            .On<CaseSuspended>(e => [.. e.CountsTowardLimit ? [] : NoDeadlines,
                .. e.ExpectedBy is { } expected ? [TimerInstruction.Schedule(SuspensionOverrun, Due(expected))] : Array.Empty<TimerInstruction>()])
            .On<CaseResumed>(e => [.. Deadlines(e.PromisedDeadline, e.StatutoryDeadline), TimerInstruction.Cancel(SuspensionOverrun)])
            .On<CaseApproved>(_ => NoDeadlines)
            .On<CaseDenied>(_ => Ended)
            .On<CaseWithdrawn>(_ => Ended)
            .On<CaseTransferred>(_ => Ended);

        timers.Handle(PromisedOverdue, (t, ct) => Decide(handler(), t, (state, clock) => CaseDecider.FlagDeadlinePassed(state, statutory: false, clock), ct));
        timers.Handle(StatutoryOverdue, (t, ct) => Decide(handler(), t, (state, clock) => CaseDecider.FlagDeadlinePassed(state, statutory: true, clock), ct));
        timers.Handle(SuspensionOverrun, (t, ct) => Decide(handler(), t, (state, clock) => CaseDecider.FlagSuspensionOverrun(state, clock), ct));
        timers.Handle(DeemedAcceptance, (t, ct) => Decide(handler(), t, (state, clock) => CaseDecider.DeemAccepted(state, clock), ct));
        timers.Handle(DeemedConsent, (t, ct) => Decide(handler(), t, (state, clock) => CaseDecider.DeemConsent(state, Qualifier(t.Kind), clock), ct));
        timers.Handle(DeferredOverdue, (t, ct) => Decide(handler(), t, (state, clock) => CaseDecider.FlagDeferredOverdue(state, Qualifier(t.Kind), clock), ct));
        timers.Handle(PostCheckOverdue, (t, ct) => Decide(handler(), t, (state, clock) => CaseDecider.FlagPostCheckOverdue(state, clock), ct));
        return timers;
    }

    /// <summary>What follows "kind:" in a qualified timer kind (a department, a material, a rating id).</summary>
    internal static string Qualifier(string kind) => kind[(kind.IndexOf(':') + 1)..];

    /// <summary>A case timer's handler: reload the case and let the decider judge; nothing when the case moved on.</summary>
    internal static async Task<TimerDecision> Decide(CaseCommands handler, DueTimer timer, Func<Case, CaseClock, Decision> decide, CancellationToken ct)
    {
        var loaded = await handler.LoadAsync(timer.StreamId, ct);
        if (loaded is null) return TimerDecision.Nothing;
        var decision = decide(loaded.State, await handler.ClockAsync(ct));
        return decision.Events.Count == 0
            ? TimerDecision.Nothing
            : TimerDecision.Append(timer.StreamId, loaded.Version, [.. decision.Events]);
    }
}
