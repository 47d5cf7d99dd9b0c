using Microsoft.AspNetCore.Authorization;
using static GovEvents.Api.Hosting.Auth.Roles;

namespace GovEvents.Api.Hosting.Auth;

/// <summary>
/// API.md "Who may call what", one named policy per row: endpoints say
/// <c>.RequireAuthorization(Policies.CaseReception)</c>. A wrong role is a 403. Finer rules stay
/// with the endpoint or the domain: an applicant's or agent's own case (404 otherwise), the payment
/// channel, the signing tier's authority (422 no-authority).
/// </summary>
public static class Policies
{
    /// <summary>Organisation, calendar, catalogue, delegations.</summary>
    public const string Manager = "manager";

    /// <summary>Submit, supplements, withdrawal, ratings, complaints.</summary>
    public const string CaseIntake = "case-intake";

    /// <summary>Supplement request, acceptance, non-acceptance, transfer, licence, delivery.</summary>
    public const string CaseReception = "case-reception";

    /// <summary>Signatures (the tier's authority is checked by the domain).</summary>
    public const string Signatures = "signatures";

    /// <summary>Parallel review and its opinions, suspensions, resumption, extension, post-check.</summary>
    public const string CaseReview = "case-review";

    /// <summary>Joint meetings of a parallel review.</summary>
    public const string JointMeetings = "joint-meetings";

    /// <summary>Fee assessment and waivers.</summary>
    public const string Fees = "fees";

    /// <summary>Payments: cashier (channel window) or applicant (channel online); the endpoint checks the pairing.</summary>
    public const string FeePayments = "fee-payments";

    /// <summary>Rating callback and rectification, complaint steps, accountability, alert review.</summary>
    public const string Oversight = "oversight";

    /// <summary>Refunds paid back at the unified fee window.</summary>
    public const string FeeRefunds = "fee-refunds";

    /// <summary>Appeals of a bad review (申诉) by the staff who served the case; the hall manager decides them.</summary>
    public const string RatingAppeals = "rating-appeals";

    /// <summary>Supervision, metrics, assessments.</summary>
    public const string Supervision = "supervision";

    /// <summary>Audit feeds and integrity.</summary>
    public const string Audit = "audit";

    /// <summary>File reviews (案卷评查).</summary>
    public const string FileReviews = "file-reviews";

    /// <summary>Projections admin (list, rebuild).</summary>
    public const string ProjectionsAdmin = "projections-admin";

    /// <summary>Waiting for the projections to catch up.</summary>
    public const string CaughtUp = "caught-up";

    /// <summary>Reads of cases; an applicant or agent only their own (the endpoint answers 404 for another's).</summary>
    public const string CaseReads = "case-reads";

    /// <summary>Reads of complaints; a non-oversight caller only those it filed (the endpoint checks).</summary>
    public const string ComplaintReads = "complaint-reads";

    /// <summary>Each policy and the roles it admits (any one of them).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> RolesByPolicy = new Dictionary<string, string[]>
    {
        [Manager] = [Roles.Manager],
        [CaseIntake] = [Applicant, Agent, Clerk],
        [CaseReception] = [Clerk, Handler],
        [Signatures] = [Handler, Reviewer, Approver, Leader],
        [CaseReview] = [Handler, Reviewer, Approver, Leader],
        [JointMeetings] = [Roles.Manager, Leader],
        [Fees] = [Cashier, Handler],
        [FeePayments] = [Cashier, Applicant],
        [FeeRefunds] = [Cashier],
        [RatingAppeals] = [Clerk, Handler, Reviewer, Approver, Leader, Cashier],
        [Oversight] = [Roles.Manager, Leader],
        [Supervision] = [Inspector, Roles.Manager, Leader],
        [Audit] = [Auditor],
        [FileReviews] = [Auditor, Inspector],
        [ProjectionsAdmin] = [Roles.Manager, Auditor],
        [CaughtUp] = [Roles.Manager, Auditor, Inspector],
        [CaseReads] = [Clerk, Handler, Reviewer, Approver, Leader, Cashier, Roles.Manager, Inspector, Auditor, Applicant, Agent],
        [ComplaintReads] = [Roles.Manager, Leader, Inspector, Applicant, Agent, Clerk],
    };

    /// <summary>
    /// The policies that write case data (a case, its fees, its ratings' appeals). "Inspectors and
    /// auditors never write case data": a token carrying either role is refused them whatever else
    /// it carries, so supervision stays independent of what it supervises.
    /// </summary>
    public static readonly IReadOnlySet<string> CaseDataWrites = new HashSet<string>
    {
        CaseIntake, CaseReception, Signatures, CaseReview, JointMeetings, Fees, FeePayments, FeeRefunds, RatingAppeals,
    };

    public static AuthorizationBuilder AddGovEventsPolicies(this AuthorizationBuilder builder)
    {
        foreach (var (name, roles) in RolesByPolicy)
            builder.AddPolicy(name, p =>
            {
                p.RequireAuthenticatedUser().RequireRole(roles);
                if (CaseDataWrites.Contains(name))
                    p.RequireAssertion(c => !c.User.IsInRole(Inspector) && !c.User.IsInRole(Auditor));
            });
        return builder;
    }
}
