namespace GovEvents.Domain.Cases;

/// <summary>
/// The deadlines supervision watches (电子监察 预警): each judged by a durable timer at the end of its
/// day in the hall's zone, recorded by the system once, only if the case is still waiting.
/// </summary>
public static partial class CaseDecider
{
    /// <summary>The promised (or statutory) deadline passed with the case undecided; a stop that does not count holds the clock.</summary>
    public static Decision FlagDeadlinePassed(Case state, bool statutory, CaseClock clock)
    {
        if (!state.Exists || state.Decided || state.Closed) return Decision.Nothing;
        if (state.OpenSuspension is { CountsTowardLimit: false }) return Decision.Nothing;
        if ((statutory ? state.StatutoryPassed : state.PromisedPassed)) return Decision.Nothing;
        if ((statutory ? state.StatutoryDeadline : state.PromisedDeadline) is not { } deadline || clock.Today <= deadline) return Decision.Nothing;
        return statutory
            ? Decision.Of(new StatutoryDeadlinePassed(state.Id, deadline, clock.Now))
            : Decision.Of(new PromisedDeadlinePassed(state.Id, deadline, clock.Now));
    }

    /// <summary>The open stop is still open after the working days it stated.</summary>
    public static Decision FlagSuspensionOverrun(Case state, CaseClock clock) =>
        state.OpenSuspension is { ExpectedBy: { } expected } && !state.Closed && clock.Today > expected
            ? Decision.Of(new SuspensionOverran(state.Id, expected, clock.Now))
            : Decision.Nothing;
}
