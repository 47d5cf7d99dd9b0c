using GovEvents.Domain.Complaints;
using GovEvents.Domain.Time;
using GovEvents.Store;
using GovEvents.Store.Timers;

namespace GovEvents.Api.Complaints;

/// <summary>
/// Each complaint step's due date on the store's durable timers: one timer per complaint,
/// rescheduled by every step to the next step's due date and cancelled when the complaint is
/// closed or declined. Fired, the decider records the awaited step overdue (once per step).
/// </summary>
public static class ComplaintTimers
{
    public const string StepOverdue = "complaint-step-overdue";

    public static TimerRegistry AddComplaintTimers(this TimerRegistry timers, HallClock hall, Func<ComplaintCommands> handler)
    {
        TimerInstruction Due(DateOnly day) => TimerInstruction.Schedule(StepOverdue, hall.EndOf(day));

        timers
            .On<ComplaintFiled>(e => Due(e.DueDate))
            .On<ComplaintAccepted>(e => Due(e.DueDate))
            .On<ComplaintAssigned>(e => Due(e.DueDate))
            .On<ComplaintInvestigated>(e => Due(e.DueDate))
            .On<ComplaintRectified>(e => Due(e.DueDate))
            .On<ComplaintReplied>(e => Due(e.DueDate))
            .On<ComplaintDeclined>(_ => TimerInstruction.Cancel(StepOverdue))
            .On<ComplaintClosed>(_ => TimerInstruction.Cancel(StepOverdue));

        timers.Handle(StepOverdue, async (t, ct) =>
        {
            var complaints = handler();
            var loaded = await complaints.LoadStreamAsync(t.StreamId, ct);
            if (loaded is null) return TimerDecision.Nothing;
            var decision = ComplaintDecider.FlagOverdue(loaded.State, await complaints.ClockAsync(ct));
            return decision.Events.Count == 0
                ? TimerDecision.Nothing
                : TimerDecision.Append(t.StreamId, loaded.Version, [.. decision.Events]);
        });
        return timers;
    }
}
