using GovEvents.Api.Hosting.Auth;

namespace GovEvents.Api.Cases;

/// <summary>
/// Applicants and agents see only their own cases (another's is a 404, not a 403: its existence
/// is not disclosed); staff in the reading roles see every case. Applicants and staff are different
/// kinds of subject: an applicant owns the cases submitted from their own account, an agent (staff)
/// those naming them as agent, and an id shared by an applicant and a staff member opens neither's to the other.
/// </summary>
public static class CaseAccess
{
    private static readonly HashSet<string> StaffReaders =
        [Roles.Clerk, Roles.Handler, Roles.Reviewer, Roles.Approver, Roles.Leader, Roles.Cashier, Roles.Manager, Roles.Inspector, Roles.Auditor];

    /// <summary>True when the caller reads every case (a staff reader), false when only its own.</summary>
    public static bool SeesAll(RequestActor actor) => actor.Roles.Any(StaffReaders.Contains);

    public static bool Owns(RequestActor actor, string? submittedBy, string? agentStaffId) =>
        actor.Subject is { } sub && ((actor.IsApplicant && sub == submittedBy) || (actor.IsInRole(Roles.Agent) && sub == agentStaffId));

    public static bool MayRead(RequestActor actor, string? submittedBy, string? agentStaffId) =>
        SeesAll(actor) || Owns(actor, submittedBy, agentStaffId);

    /// <summary>For intake commands on an existing case: clerks act on any case, applicants and agents on their own.</summary>
    public static bool MayAct(RequestActor actor, string? submittedBy, string? agentStaffId) =>
        actor.IsInRole(Roles.Clerk) || Owns(actor, submittedBy, agentStaffId);
}
